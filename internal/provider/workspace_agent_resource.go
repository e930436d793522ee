package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// kakiyo_workspace_agent and kakiyo_workspace_client: an agent assigned to
// a client workspace, a client's person invited into it. Kakiyo offers no
// read of either: the state keeps what was written, and a refresh only
// notices that the workspace (or the agent) is gone, from the run's
// listings.

var propagatedTypes = map[string]attr.Type{"campaigns": types.Int64Type, "chats": types.Int64Type, "prospects": types.Int64Type}

func propagatedValue(p *kakiyo.Propagated) types.Object {
	if p == nil {
		return types.ObjectNull(propagatedTypes)
	}
	return types.ObjectValueMust(propagatedTypes, map[string]attr.Value{"campaigns": types.Int64Value(int64(p.Campaigns)),
		"chats": types.Int64Value(int64(p.Chats)), "prospects": types.Int64Value(int64(p.Prospects))})
}

var (
	_ resource.ResourceWithImportState = (*workspaceAgentResource)(nil)
	_ resource.ResourceWithIdentity    = (*workspaceAgentResource)(nil)
)

// NewWorkspaceAgentResource returns the kakiyo_workspace_agent resource.
func NewWorkspaceAgentResource() resource.Resource { return &workspaceAgentResource{} }

type workspaceAgentResource struct {
	client     *kakiyo.Client
	workspaces *walk.Reader[kakiyo.Workspace]
	agents     *walk.Reader[kakiyo.Agent]
}

type workspaceAgentModel struct {
	ID          types.String `tfsdk:"id"`
	WorkspaceID types.String `tfsdk:"workspace_id"`
	AgentID     types.String `tfsdk:"agent_id"`
	Propagated  types.Object `tfsdk:"propagated"`
}

type workspaceAgentIdentity struct {
	WorkspaceID types.String `tfsdk:"workspace_id"`
	AgentID     types.String `tfsdk:"agent_id"`
}

func (r *workspaceAgentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_agent"
}

func (r *workspaceAgentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "Assigns an agent to a client workspace (`POST /workspaces/{id}/agents/{agentId}`): Kakiyo " +
			"pushes the client's permissions to the agent's campaigns, chats and prospects. Destroying it unassigns the " +
			"agent (the agent stays). Kakiyo offers **no read of assignments**: the state keeps what was written, an " +
			"assignment changed in the dashboard is not detected, and a refresh only notices that the workspace or the " +
			"agent no longer exists (from the run's listings, no extra call).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "`<workspace_id>/<agent_id>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"workspace_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "Id of the workspace, for example `kakiyo_workspace.acme.id`. A change replaces the assignment."},
			"agent_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "Id of the agent, for example `kakiyo_agent.sales.id`. A change replaces the assignment."},
			"propagated": schema.SingleNestedAttribute{
				Computed: true,
				MarkdownDescription: "What Kakiyo reported when it assigned the agent: how many of its campaigns, chats and " +
					"prospects the client can now see. Empty after an import.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"campaigns": schema.Int64Attribute{Computed: true, MarkdownDescription: "Campaigns."},
					"chats":     schema.Int64Attribute{Computed: true, MarkdownDescription: "Chats."},
					"prospects": schema.Int64Attribute{Computed: true, MarkdownDescription: "Prospects."},
				},
			},
		},
	}
}

func (r *workspaceAgentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Version: 0, Attributes: map[string]identityschema.Attribute{
		"workspace_id": identityschema.StringAttribute{RequiredForImport: true, Description: "Id of the workspace."},
		"agent_id":     identityschema.StringAttribute{RequiredForImport: true, Description: "Id of the agent."},
	}}
}

func (r *workspaceAgentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.workspaces, r.agents = data.client, data.workspaces, data.agents
}

func (m *workspaceAgentModel) identity(ctx context.Context, id *tfsdk.ResourceIdentity) diag.Diagnostics {
	if id == nil {
		return nil
	}
	return id.Set(ctx, workspaceAgentIdentity{WorkspaceID: m.WorkspaceID, AgentID: m.AgentID})
}

func (r *workspaceAgentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceAgentModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws, agent := plan.WorkspaceID.ValueString(), plan.AgentID.ValueString()
	p, err := r.client.AssignAgent(ctx, ws, agent)
	if err != nil {
		d := workspaceErrorDiagnostic(workspaceObject(ws), "assign agent "+agent+" to", err)
		if kakiyo.IsNotFound(err) {
			d = withNote(d, "The workspace or the agent does not exist (any more): check both ids.")
		}
		resp.Diagnostics.Append(d)
		return
	}
	tflog.Info(ctx, "Assigned Kakiyo agent to workspace", map[string]any{"workspace_id": ws, "agent_id": agent})
	plan.ID = types.StringValue(ws + "/" + agent)
	plan.Propagated = propagatedValue(p)
	resp.Diagnostics.Append(plan.identity(ctx, resp.Identity)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *workspaceAgentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceAgentModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(state.identity(ctx, resp.Identity)...)
	ws, agent := state.WorkspaceID.ValueString(), state.AgentID.ValueString()
	gone, err := workspaceGone(ctx, r.workspaces, ws)
	if err != nil {
		resp.Diagnostics.Append(workspaceErrorDiagnostic(workspaceObject(ws), "read", err))
		return
	}
	if !gone {
		_, err = r.agents.Read(ctx, agent)
		gone, err = settleGone(ctx, r.client, err)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(agent), "read", err))
			return
		}
	}
	if gone {
		tflog.Warn(ctx, "The workspace or the agent of an assignment no longer exists; removing the assignment from state",
			map[string]any{"workspace_id": ws, "agent_id": agent})
		resp.State.RemoveResource(ctx)
		return
	}
	if state.ID.IsNull() {
		state.ID = types.StringValue(ws + "/" + agent)
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *workspaceAgentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan workspaceAgentModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(plan.identity(ctx, resp.Identity)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *workspaceAgentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceAgentModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws, agent := state.WorkspaceID.ValueString(), state.AgentID.ValueString()
	gone, err := settleGone(ctx, r.client, r.client.UnassignAgent(ctx, ws, agent))
	switch {
	case gone:
		tflog.Info(ctx, "Kakiyo agent already unassigned; treating it as done", map[string]any{"workspace_id": ws, "agent_id": agent})
	case err == nil:
		tflog.Info(ctx, "Unassigned Kakiyo agent from workspace", map[string]any{"workspace_id": ws, "agent_id": agent})
	default:
		resp.Diagnostics.Append(workspaceErrorDiagnostic(workspaceObject(ws), "unassign agent "+agent+" from", err))
	}
}

// ImportState takes "<workspace_id>/<agent_id>", or the identity.
func (r *workspaceAgentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var ws, agent string
	if req.ID == "" && identityGiven(req) {
		var id workspaceAgentIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		ws, agent = id.WorkspaceID.ValueString(), id.AgentID.ValueString()
		checkIdentityParts(ws, "agent_id", agent, validID, &resp.Diagnostics)
	} else {
		ws, agent = splitImportID(req.ID, "agent_id", exampleWorkspaceID+"/"+exampleID, validID, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m := workspaceAgentModel{ID: types.StringValue(ws + "/" + agent), WorkspaceID: types.StringValue(ws),
		AgentID: types.StringValue(agent), Propagated: types.ObjectNull(propagatedTypes)}
	resp.Diagnostics.Append(setState(ctx, &resp.State, &m)...)
	resp.Diagnostics.Append(m.identity(ctx, resp.Identity)...)
}
