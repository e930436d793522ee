package provider

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var (
	_ resource.ResourceWithImportState = (*workspaceClientResource)(nil)
	_ resource.ResourceWithIdentity    = (*workspaceClientResource)(nil)
)

// NewWorkspaceClientResource returns the kakiyo_workspace_client resource.
func NewWorkspaceClientResource() resource.Resource { return &workspaceClientResource{} }

type workspaceClientResource struct {
	client     *kakiyo.Client
	workspaces *walk.Reader[kakiyo.Workspace]
}

type workspaceClientModel struct {
	ID           types.String `tfsdk:"id"`
	WorkspaceID  types.String `tfsdk:"workspace_id"`
	Email        types.String `tfsdk:"email"`
	Roles        types.List   `tfsdk:"roles"`
	RedirectURL  types.String `tfsdk:"redirect_url"`
	MembershipID types.String `tfsdk:"membership_id"`
	UserID       types.String `tfsdk:"user_id"`
	PortalURL    types.String `tfsdk:"portal_url"`
	EmailSent    types.Bool   `tfsdk:"email_sent"`
}

type workspaceClientIdentity struct {
	WorkspaceID types.String `tfsdk:"workspace_id"`
	Email       types.String `tfsdk:"email"`
}

func (r *workspaceClientResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_client"
}

func (r *workspaceClientResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "Invites a person of the client into a workspace (`POST /workspaces/{id}/invite`: Kakiyo e-mails " +
			"them a magic link to the agency's portal) and removes them on destroy (`DELETE /workspaces/{id}/clients`). " +
			"Kakiyo offers **no read of a workspace's members**: the state keeps what was written, a change made in the " +
			"dashboard is not detected, and a refresh only notices that the workspace no longer exists. Kakiyo cannot " +
			"change an invitation: any change replaces it (the person is removed, then invited again).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "`<workspace_id>/<email>`."},
			"workspace_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "Id of the workspace, for example `kakiyo_workspace.acme.id`."},
			"email": schema.StringAttribute{Required: true, PlanModifiers: replace, Validators: []validator.String{emailValidator{}},
				MarkdownDescription: "E-mail address of the person to invite."},
			"roles": schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true,
				Default:       listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{types.StringValue("member")})),
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
				Validators:    []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
				MarkdownDescription: "Roles in the workspace. Defaults to `[\"member\"]`, the only role Kakiyo documents; " +
					"any other is sent as given."},
			"redirect_url": schema.StringAttribute{Optional: true, PlanModifiers: replace, Validators: []validator.String{httpsURLValidator{}},
				MarkdownDescription: "Where the magic link leads after sign-in (the agency's portal when unset)."},
			"membership_id": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the membership."},
			"user_id":       schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "Id of the person's Kakiyo user."},
			"portal_url":    schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "The agency portal the person signs in to."},
			"email_sent": schema.BoolAttribute{Computed: true, PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "Whether Kakiyo sent the invitation e-mail."},
		},
	}
}

func (r *workspaceClientResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Version: 0, Attributes: map[string]identityschema.Attribute{
		"workspace_id": identityschema.StringAttribute{RequiredForImport: true, Description: "Id of the workspace."},
		"email":        identityschema.StringAttribute{RequiredForImport: true, Description: "E-mail address of the person."},
	}}
}

func (r *workspaceClientResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.workspaces = data.client, data.workspaces
}

func (m *workspaceClientModel) identity(ctx context.Context, id *tfsdk.ResourceIdentity) diag.Diagnostics {
	if id == nil {
		return nil
	}
	return id.Set(ctx, workspaceClientIdentity{WorkspaceID: m.WorkspaceID, Email: m.Email})
}

func (r *workspaceClientResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan workspaceClientModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws, email := plan.WorkspaceID.ValueString(), plan.Email.ValueString()
	in := kakiyo.ClientInvite{Email: email, RedirectURL: plan.RedirectURL.ValueString()}
	resp.Diagnostics.Append(plan.Roles.ElementsAs(ctx, &in.Roles, false)...)
	m, err := r.client.InviteClient(ctx, ws, in)
	if kakiyo.IsConflict(err) {
		resp.Diagnostics.AddAttributeError(path.Root("email"), "Already a member of the Kakiyo workspace", fmt.Sprintf(
			"Kakiyo says %s is already a member of workspace %q (invited outside this configuration).\n\n%s\n\n"+
				"To manage the membership here, adopt it with an import block, then apply:\n\nimport {\n  to = kakiyo_workspace_client.<name>\n"+
				"  id = \"%s/%s\"\n}", email, ws, describe(err), ws, email))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(workspaceErrorDiagnostic(workspaceObject(ws), "invite "+email+" into", err))
		return
	}
	tflog.Info(ctx, "Invited a client into a Kakiyo workspace", map[string]any{"workspace_id": ws, "membership_id": m.MembershipID})
	plan.ID = types.StringValue(ws + "/" + email)
	plan.MembershipID, plan.UserID, plan.PortalURL = types.StringValue(m.MembershipID), types.StringValue(m.UserID), types.StringValue(m.PortalURL)
	plan.EmailSent = types.BoolNull()
	if m.EmailSent != nil {
		plan.EmailSent = types.BoolValue(*m.EmailSent)
	}
	resp.Diagnostics.Append(plan.identity(ctx, resp.Identity)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *workspaceClientResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state workspaceClientModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(state.identity(ctx, resp.Identity)...)
	ws := state.WorkspaceID.ValueString()
	gone, err := workspaceGone(ctx, r.workspaces, ws)
	if err != nil {
		resp.Diagnostics.Append(workspaceErrorDiagnostic(workspaceObject(ws), "read", err))
		return
	}
	if gone {
		tflog.Warn(ctx, "The workspace of a client membership no longer exists; removing it from state", map[string]any{"workspace_id": ws})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *workspaceClientResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan workspaceClientModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(plan.identity(ctx, resp.Identity)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *workspaceClientResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workspaceClientModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ws, email := state.WorkspaceID.ValueString(), state.Email.ValueString()
	gone, err := settleGone(ctx, r.client, r.client.RemoveClient(ctx, ws, email))
	switch {
	case gone:
		tflog.Info(ctx, "Client already gone from the Kakiyo workspace; treating it as removed", map[string]any{"workspace_id": ws})
	case err == nil:
		tflog.Info(ctx, "Removed a client from a Kakiyo workspace", map[string]any{"workspace_id": ws})
	default:
		resp.Diagnostics.Append(workspaceErrorDiagnostic(workspaceObject(ws), "remove "+email+" from", err))
	}
}

// ImportState takes "<workspace_id>/<email>", or the identity. What only
// the invitation's answer told (membership_id, user_id, ...) stays empty.
func (r *workspaceClientResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var ws, email string
	if req.ID == "" && identityGiven(req) {
		var id workspaceClientIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...)
		ws, email = id.WorkspaceID.ValueString(), id.Email.ValueString()
		checkIdentityParts(ws, "email", email, validEmail, &resp.Diagnostics)
	} else {
		ws, email = splitImportID(req.ID, "email", exampleWorkspaceID+"/jane@client.example", validEmail, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m := workspaceClientModel{ID: types.StringValue(ws + "/" + email), WorkspaceID: types.StringValue(ws),
		Email: types.StringValue(email), Roles: types.ListValueMust(types.StringType, []attr.Value{types.StringValue("member")}),
		RedirectURL: types.StringNull(), MembershipID: types.StringNull(), UserID: types.StringNull(),
		PortalURL: types.StringNull(), EmailSent: types.BoolNull()}
	resp.Diagnostics.Append(setState(ctx, &resp.State, &m)...)
	resp.Diagnostics.Append(m.identity(ctx, resp.Identity)...)
}

// emailValidator accepts one plain e-mail address.
type emailValidator struct{}

func (emailValidator) Description(context.Context) string { return "must be an e-mail address" }

func (v emailValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (emailValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	raw := req.ConfigValue.ValueString()
	if validEmail(raw) != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid e-mail address",
			fmt.Sprintf("%q is not an e-mail address: give one plain address, such as \"jane@client.example\".", raw))
	}
}

// validEmail says why raw is not one plain e-mail address, if it is not.
func validEmail(raw string) error {
	if a, err := mail.ParseAddress(raw); err != nil || a.Address != raw || strings.ContainsAny(raw, "/\\") {
		return fmt.Errorf("%q is not one plain e-mail address", raw)
	}
	return nil
}
