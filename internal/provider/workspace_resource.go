package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var (
	_ resource.Resource                = (*workspaceResource)(nil)
	_ resource.ResourceWithConfigure   = (*workspaceResource)(nil)
	_ resource.ResourceWithImportState = (*workspaceResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*workspaceResource)(nil)
	_ resource.ResourceWithIdentity    = (*workspaceResource)(nil)
)

// NewWorkspaceResource returns the kakiyo_workspace resource.
func NewWorkspaceResource() resource.Resource {
	return &workspaceResource{idImport: idImport{noun: "workspace", example: exampleWorkspaceID}}
}

type workspaceResource struct {
	idImport
	client *kakiyo.Client
	reader *walk.Reader[kakiyo.Workspace]
	adopt  bool // adopt_lost_creates
}

type workspaceModel struct {
	ID                 types.String `tfsdk:"id"`
	Name               types.String `tfsdk:"name"`
	ClientTeamID       types.String `tfsdk:"client_team_id"`
	CreatedAt          types.String `tfsdk:"created_at"`
	DeletionProtection types.Bool   `tfsdk:"deletion_protection"`
}

const exampleWorkspaceID = "680321c8001e2f527d90"

func workspaceObject(id string) object { return object{noun: "workspace", id: id} }

// newWorkspaceReader: Kakiyo has no read of one workspace; every read is
// served by the run's one GET /workspaces.
func newWorkspaceReader(c *kakiyo.Client, mode string) *walk.Reader[kakiyo.Workspace] {
	return walk.NewReader[kakiyo.Workspace](mode, "workspaces", c.ListWorkspacePages, nil,
		func(w *kakiyo.Workspace) string { return w.ID }, func(*kakiyo.Workspace) bool { return true })
}

// workspaceErrorDiagnostic is apiErrorDiagnostic for the workspace
// endpoints, which need Kakiyo's Agency plan: a refusal that may be the
// plan's names it, rather than a bare 403.
func workspaceErrorDiagnostic(obj object, action string, err error) diag.Diagnostic {
	if kakiyo.NeedsAgencyPlan(err) || (kakiyo.IsForbidden(err) && !kakiyo.IsSubscriptionInactive(err)) {
		other := ""
		if obj.id != "" {
			other = fmt.Sprintf(" If the team has the Agency plan, %s belongs to another team: use that team's API key.", obj.subject())
		}
		return diag.NewErrorDiagnostic("Kakiyo Agency plan required", fmt.Sprintf(
			"Kakiyo refused to %s %s. Client workspaces (and inviting clients, assigning agents to them) need Kakiyo's "+
				"Agency plan, and the API key's team does not seem to have it.\n\n%s\n\n"+
				"Upgrade the team to the Agency plan in the Kakiyo dashboard (Billing), or use the API key of the agency's "+
				"team.%s", action, obj.subject(), describe(err), other))
	}
	return apiErrorDiagnostic(obj, action, err)
}

func (r *workspaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (r *workspaceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "An agency's client workspace (Kakiyo's Agency plan): the client's people are invited into it " +
			"(`kakiyo_workspace_client`) and the agency's agents assigned to it (`kakiyo_workspace_agent`).\n\n" +
			"Kakiyo cannot rename a workspace: a new `name` replaces it. **Deleting a workspace is irreversible**: its " +
			"clients lose access and every agent is unassigned (the agents themselves stay). A plan that destroys or " +
			"replaces one says so in a warning, and `deletion_protection` refuses it. Reads share one " +
			"`GET /workspaces` per run (Kakiyo has no read of one workspace).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of the workspace.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the workspace, usually the client's. Kakiyo has no rename: changing it replaces the workspace.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"client_team_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of the Kakiyo team that Kakiyo made for the client.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the workspace was created.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"deletion_protection": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, Terraform refuses to destroy or replace the workspace, at plan time and " +
					"again at apply time, without calling Kakiyo. Defaults to `false`.",
			},
		},
	}
}

func (r *workspaceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.reader, r.adopt = data.client, data.workspaces, data.adoptLostCreates
}

// ModifyPlan refuses to destroy or replace a protected workspace, and warns
// of what destroying or replacing one does.
func (r *workspaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state workspaceModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	destroy := req.Plan.Raw.IsNull()
	replace := false
	if !destroy {
		var plan workspaceModel
		resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
		// A new name replaces the workspace (see the name's plan modifier).
		replace = !plan.Name.IsUnknown() && !plan.Name.Equal(state.Name)
	}
	if !destroy && !replace {
		return
	}
	obj := workspaceObject(state.ID.ValueString())
	if state.DeletionProtection.ValueBool() {
		resp.Diagnostics.Append(deletionProtectedDiagnostic(obj, ""))
		return
	}
	verb := "destroys"
	if replace {
		verb = "replaces (deletes, then creates again)"
	}
	resp.Diagnostics.AddWarning("Deleting a Kakiyo workspace is irreversible", fmt.Sprintf(
		"This plan %s workspace %q (%s). Kakiyo deletes a workspace for good: the client's people lose access to it, "+
			"and every agent assigned to it is unassigned (the agents themselves stay). Nothing can be undone.\n\n"+
			"To keep it, set deletion_protection = true, or remove it from the configuration with a removed block and "+
			"lifecycle { destroy = false }.", verb, state.ID.ValueString(), state.Name.ValueString()))
}

func (m *workspaceModel) setFromAPI(w *kakiyo.Workspace) {
	m.ID = types.StringValue(w.ID)
	m.Name = types.StringValue(w.Name)
	m.ClientTeamID = types.StringValue(w.ClientTeamID)
	m.CreatedAt = types.StringValue(w.CreatedAt)
	if !known(m.DeletionProtection) {
		m.DeletionProtection = types.BoolValue(false)
	}
}

func (r *workspaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Name.ValueString()
	r.reader.Wrote("")
	w, _ := lostCreate[kakiyo.Workspace]{
		noun: "workspace", resourceType: "kakiyo_workspace", adopt: r.adopt, reader: r.reader,
		same:       func(w *kakiyo.Workspace) bool { return w.Name == name },
		id:         func(w *kakiyo.Workspace) string { return w.ID },
		candidates: fmt.Sprintf("named %q", name),
		failed:     func(err error) diag.Diagnostic { return workspaceErrorDiagnostic(workspaceObject(""), "create", err) },
	}.create(ctx, func(ctx context.Context) (*kakiyo.Workspace, error) { return r.client.CreateWorkspace(ctx, name) },
		&resp.Diagnostics)
	if w == nil {
		return
	}
	tflog.Info(ctx, "Created Kakiyo workspace", map[string]any{"workspace_id": w.ID})
	plan.setFromAPI(w)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, w.ID)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *workspaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	w, err := r.reader.Read(ctx, id)
	gone, err := settleGone(ctx, r.client, err)
	if gone {
		tflog.Warn(ctx, "Kakiyo workspace not found; removing it from state", map[string]any{"workspace_id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(workspaceErrorDiagnostic(workspaceObject(id), "read", err))
		return
	}
	state.setFromAPI(w)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

// Update only ever changes deletion_protection: nothing to tell Kakiyo.
func (r *workspaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan workspaceModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *workspaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if state.DeletionProtection.ValueBool() {
		// The plan refused already; a state changed since (or a -refresh=false
		// plan of an older state) meets the same refusal here.
		resp.Diagnostics.Append(deletionProtectedDiagnostic(workspaceObject(id), ""))
		return
	}
	r.reader.Wrote(id)
	stats, err := r.client.DeleteWorkspace(ctx, id)
	gone, err := settleGone(ctx, r.client, err)
	switch {
	case gone:
		tflog.Info(ctx, "Kakiyo workspace already gone; treating it as deleted", map[string]any{"workspace_id": id})
	case err == nil:
		fields := map[string]any{"workspace_id": id}
		if stats != nil {
			fields["agents_unassigned"], fields["campaigns_updated"], fields["chats_updated"] =
				stats.AgentsUnassigned, stats.CampaignsUpdated, stats.ChatsUpdated
		}
		tflog.Info(ctx, "Deleted Kakiyo workspace", fields)
	default:
		resp.Diagnostics.Append(workspaceErrorDiagnostic(workspaceObject(id), "delete", err))
	}
}

// The helpers of the resources that live in a workspace (its agents, its
// clients).

// workspaceGone reports whether the run's listing of workspaces no longer
// shows workspace id (a failed listing is an error, never "gone").
func workspaceGone(ctx context.Context, reader *walk.Reader[kakiyo.Workspace], id string) (bool, error) {
	_, err := reader.Read(ctx, id)
	// Workspaces have no read by id: gone means absent from a complete
	// listing, which needs no client to tell.
	return settleGone(ctx, nil, err)
}

// splitImportID splits "<workspace_id>/<second>" for an import.
// Both parts are checked before any call: the workspace id, and the second
// part with check (validID for an agent id, validEmail for an e-mail).
func splitImportID(raw, second, example string, check func(string) error, diags *diag.Diagnostics) (string, string) {
	ws, rest, ok := strings.Cut(raw, "/")
	err := validID(ws)
	switch {
	case !ok:
		err = fmt.Errorf("there is no slash between the two")
	case err != nil:
		err = fmt.Errorf("the workspace id: %w", err)
	default:
		if err = check(rest); err != nil {
			err = fmt.Errorf("the %s: %w", second, err)
		}
	}
	if err != nil {
		diags.AddError("Invalid import id", fmt.Sprintf(
			"Import needs \"<workspace_id>/<%s>\", such as %q; got %q: %v. Nothing was sent to Kakiyo.",
			second, example, raw, err))
	}
	return ws, rest
}

// checkIdentityParts checks, before any call, the two attributes of an
// import block's identity of a resource that lives in a workspace: the
// workspace id, and the second part with check.
func checkIdentityParts(ws, second, value string, check func(string) error, diags *diag.Diagnostics) {
	err := validID(ws)
	if err != nil {
		err = fmt.Errorf("workspace_id: %w", err)
	} else if err = check(value); err != nil {
		err = fmt.Errorf("%s: %w", second, err)
	}
	if err != nil {
		diags.AddError("Invalid import identity", fmt.Sprintf(
			"The import block's identity names workspace_id %q and %s %q: %v. Nothing was sent to Kakiyo.",
			ws, second, value, err))
	}
}
