package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var (
	_ resource.Resource                = (*campaignResource)(nil)
	_ resource.ResourceWithConfigure   = (*campaignResource)(nil)
	_ resource.ResourceWithImportState = (*campaignResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*campaignResource)(nil)
	_ resource.ResourceWithIdentity    = (*campaignResource)(nil)
)

// NewCampaignResource returns the kakiyo_campaign resource.
func NewCampaignResource() resource.Resource {
	return &campaignResource{idImport: idImport{noun: "campaign", example: exampleCampaignID}}
}

type campaignResource struct {
	idImport
	client *kakiyo.Client
	reader *walk.Reader[kakiyo.Campaign]
	adopt  bool // adopt_lost_creates
}

type campaignModel struct {
	ID                        types.String `tfsdk:"id"`
	Name                      types.String `tfsdk:"name"`
	AgentID                   types.String `tfsdk:"agent_id"`
	ProductID                 types.String `tfsdk:"product_id"`
	PromptID                  types.String `tfsdk:"prompt_id"`
	QualificationAutomatic    types.Int64  `tfsdk:"qualification_automatic"`
	QualificationVerification types.Int64  `tfsdk:"qualification_verification"`
	Variables                 types.Map    `tfsdk:"variables"`
	Paused                    types.Bool   `tfsdk:"paused"`
	Status                    types.String `tfsdk:"status"`
}

const exampleCampaignID = "682c0dfc0036ded6b91c"

func campaignObject(id string) object { return object{noun: "campaign", id: id} }

// newCampaignReader serves a run's reads of campaigns from one listing
// (GET /campaigns, by cursor) when many are read; a campaign missing from
// it, or shown without its name and status, is read from its analytics.
func newCampaignReader(c *kakiyo.Client, mode string) *walk.Reader[kakiyo.Campaign] {
	return walk.NewReader(mode, "campaigns", c.ListCampaignPages, c.GetCampaign,
		func(cp *kakiyo.Campaign) string { return cp.ID },
		func(cp *kakiyo.Campaign) bool { return cp.Name != nil && cp.Status != nil })
}

func (r *campaignResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_campaign"
}

func (r *campaignResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Kakiyo cannot change these; after an import from the analytics (which
	// do not show them) the configuration's value is taken as is.
	replace := []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.StateValue.IsNull()
		}, "Kakiyo cannot change it: a change replaces the campaign.", "Kakiyo cannot change it: a change replaces the campaign.")}
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "A campaign: an agent selling a product with a prompt, qualifying prospects by two thresholds.\n\n" +
			"**Kakiyo has no way to delete a campaign.** Destroying this resource pauses the campaign " +
			"(`POST /campaigns/{id}/pause`) and removes it from the state: it stays in Kakiyo, paused. The plan says so " +
			"in a warning before anything happens. A replacement (a new `agent_id`, `product_id` or `prompt_id`, which " +
			"Kakiyo cannot change) therefore leaves the old campaign paused beside the new one.\n\n" +
			"Reads share one `GET /campaigns` per run when several campaigns are read; a campaign missing from it is read " +
			"from its analytics (`GET /analytics/campaigns/{id}`), which show its name and status only.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "Id of the campaign.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"name": schema.StringAttribute{Required: true, MarkdownDescription: "Name, 3 to 100 characters.",
				Validators: []validator.String{stringvalidator.LengthBetween(3, 100)}},
			"agent_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "Id of the agent that runs it, for example `kakiyo_agent.sales.id`. Kakiyo cannot change it: a change replaces the campaign."},
			"product_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "Id of the product it sells (the `kakiyo_products` data source). A change replaces the campaign."},
			"prompt_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "Id of the prompt it writes with (the `kakiyo_prompts` data source). A change replaces the campaign."},
			"qualification_automatic": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(70),
				Validators:          []validator.Int64{int64validator.Between(0, 100)},
				MarkdownDescription: "Score (0 to 100) from which a prospect is qualified automatically. Defaults to `70`."},
			"qualification_verification": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(50),
				Validators:          []validator.Int64{int64validator.Between(0, 100)},
				MarkdownDescription: "Score (0 to 100) from which a prospect goes to manual review, below `qualification_automatic`. Defaults to `50`."},
			"variables": schema.MapAttribute{ElementType: types.StringType, Optional: true, Computed: true,
				Default: mapdefault.StaticValue(types.MapValueMust(types.StringType, map[string]attr.Value{})),
				MarkdownDescription: "Values the prompt refers to, such as `companyValue` or `painPoint`. Sent whole: the " +
					"provider assumes Kakiyo replaces them (its documentation does not say)."},
			"paused": schema.BoolAttribute{Optional: true, Computed: true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "`true` pauses the campaign, `false` resumes it; unset, it follows Kakiyo."},
			"status": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Status as Kakiyo reports it, such as `active`, `paused` or `completed`."},
		},
	}
}

func (r *campaignResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.reader, r.adopt = data.client, data.campaigns, data.adoptLostCreates
}

// ModifyPlan warns, before anything happens, that a destroy or a
// replacement leaves the campaign in Kakiyo, paused; and plans status from
// paused when it changes.
func (r *campaignResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state campaignModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Kakiyo campaigns cannot be deleted", fmt.Sprintf(
			"Kakiyo has no way to delete a campaign. Destroying kakiyo_campaign %q (%s) pauses it and removes it from "+
				"the Terraform state: it stays in Kakiyo, paused, with its prospects and history. Delete or archive it in "+
				"the Kakiyo dashboard if you need it gone.", state.ID.ValueString(), state.Name.ValueString()))
		return
	}
	var plan campaignModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if changedKnown(plan.AgentID, state.AgentID) || changedKnown(plan.ProductID, state.ProductID) || changedKnown(plan.PromptID, state.PromptID) {
		resp.Diagnostics.AddWarning("Replacing a Kakiyo campaign leaves the old one paused", fmt.Sprintf(
			"Kakiyo cannot change a campaign's agent, product or prompt, so this plan replaces campaign %q (%s): a new "+
				"campaign is created, and the old one, which Kakiyo cannot delete, is paused and stays in Kakiyo.",
			state.ID.ValueString(), state.Name.ValueString()))
		return
	}
	if !plan.Paused.IsUnknown() && !plan.Paused.Equal(state.Paused) {
		status := kakiyo.CampaignStatusActive
		if plan.Paused.ValueBool() {
			status = kakiyo.CampaignStatusPaused
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), status)...)
	} else {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), state.Status)...)
	}
}

// changedKnown: a value the state knew, changed by the plan.
func changedKnown(plan, state types.String) bool {
	return !state.IsNull() && !plan.IsUnknown() && !plan.Equal(state)
}

func (m *campaignModel) input(ctx context.Context) (kakiyo.CampaignInput, diag.Diagnostics) {
	in := kakiyo.CampaignInput{Name: m.Name.ValueString(), AgentID: m.AgentID.ValueString(),
		ProductID: m.ProductID.ValueString(), PromptID: m.PromptID.ValueString(), Variables: map[string]string{}}
	qa, qv := m.QualificationAutomatic.ValueInt64(), m.QualificationVerification.ValueInt64()
	in.QualificationAutomatic, in.QualificationVerification = &qa, &qv
	diags := m.Variables.ElementsAs(ctx, &in.Variables, false)
	return in, diags
}

// setFromAPI takes what Kakiyo reported; what it did not report (the
// analytics show no thresholds, variables, product or prompt) stays as it
// was.
func (m *campaignModel) setFromAPI(cp *kakiyo.Campaign) {
	m.ID = types.StringValue(cp.ID)
	set := func(dst *types.String, v *string) {
		if v != nil {
			*dst = types.StringValue(*v)
		}
	}
	set(&m.Name, cp.Name)
	set(&m.AgentID, cp.AgentID)
	set(&m.ProductID, cp.ProductID)
	set(&m.PromptID, cp.PromptID)
	set(&m.Status, cp.Status)
	if cp.QualificationAutomatic != nil {
		m.QualificationAutomatic = types.Int64Value(*cp.QualificationAutomatic)
	}
	if cp.QualificationVerification != nil {
		m.QualificationVerification = types.Int64Value(*cp.QualificationVerification)
	}
	if cp.Variables != nil {
		vals := make(map[string]attr.Value, len(cp.Variables))
		for k, v := range cp.Variables {
			vals[k] = types.StringValue(v)
		}
		m.Variables = types.MapValueMust(types.StringType, vals)
	}
	if cp.Status != nil {
		m.Paused = types.BoolValue(*cp.Status == kakiyo.CampaignStatusPaused)
	}
	if m.Variables.IsNull() {
		// Unknown to Kakiyo's read (after an import from the analytics): the
		// schema's default.
		m.Variables = types.MapValueMust(types.StringType, map[string]attr.Value{})
	}
}

func (r *campaignResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan campaignModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := plan.input(ctx)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	r.reader.Wrote("")
	cp, _ := lostCreate[kakiyo.Campaign]{
		noun: "campaign", resourceType: "kakiyo_campaign", adopt: r.adopt, reader: r.reader,
		// A new campaign is active: a paused or completed one of the same
		// name (left behind by an earlier replacement) is not this one.
		same: func(c *kakiyo.Campaign) bool {
			return c.Name != nil && *c.Name == in.Name && (c.AgentID == nil || *c.AgentID == in.AgentID) &&
				(c.ProductID == nil || *c.ProductID == in.ProductID) && (c.PromptID == nil || *c.PromptID == in.PromptID) &&
				(c.Status == nil || *c.Status == kakiyo.CampaignStatusActive)
		},
		id:         func(c *kakiyo.Campaign) string { return c.ID },
		candidates: fmt.Sprintf("named %q for agent %s", in.Name, in.AgentID),
	}.create(ctx, func(ctx context.Context) (*kakiyo.Campaign, error) { return r.client.CreateCampaign(ctx, in) },
		&resp.Diagnostics)
	if cp == nil {
		return
	}
	id := cp.ID
	tflog.Info(ctx, "Created Kakiyo campaign", map[string]any{"campaign_id": id})
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	// The answer may hold only the id: what was sent is what Kakiyo has.
	// A new campaign is active (Kakiyo's examples show no other first
	// status); the next refresh reads the real one.
	plan.ID = types.StringValue(id)
	status := kakiyo.CampaignStatusActive
	if cp.Status != nil {
		status = *cp.Status
	}
	if plan.Paused.ValueBool() && status != kakiyo.CampaignStatusPaused {
		if err := r.client.PauseCampaign(ctx, id); err != nil {
			// The campaign exists: keep it, tainted, and say what failed.
			plan.Status, plan.Paused = types.StringValue(status), types.BoolValue(false)
			resp.Diagnostics.Append(createIncompleteDiagnostic(campaignObject(id), "kakiyo_campaign", "pause", err,
				" (a replacement leaves this campaign behind, paused: Kakiyo cannot delete campaigns)"))
			resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
			return
		}
		status = kakiyo.CampaignStatusPaused
	}
	plan.Status = types.StringValue(status)
	plan.Paused = types.BoolValue(status == kakiyo.CampaignStatusPaused)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *campaignResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state campaignModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	cp, err := r.reader.Read(ctx, id)
	if err == nil && (state.ProductID.IsNull() || state.PromptID.IsNull()) && (cp.ProductID == nil || cp.PromptID == nil) {
		// After an import: the listing may show what the analytics do not.
		if all, lerr := r.reader.All(ctx); lerr == nil {
			for _, c := range all {
				if c.ID == id {
					state.setFromAPI(c)
				}
			}
		}
	}
	gone, err := settleGone(ctx, r.client, err)
	if gone {
		// Kakiyo cannot delete a campaign, but the dashboard, support or the
		// agent's deletion may remove one.
		tflog.Warn(ctx, "Kakiyo campaign not found; removing it from state", map[string]any{"campaign_id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(campaignObject(id), "read", err))
		return
	}
	state.setFromAPI(cp)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *campaignResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state campaignModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	r.reader.Wrote(id)
	if !plan.Name.Equal(state.Name) || !plan.QualificationAutomatic.Equal(state.QualificationAutomatic) ||
		!plan.QualificationVerification.Equal(state.QualificationVerification) || !plan.Variables.Equal(state.Variables) {
		in, diags := plan.input(ctx)
		if resp.Diagnostics.Append(diags...); diags.HasError() {
			return
		}
		if err := r.client.UpdateCampaign(ctx, id, in); err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(campaignObject(id), "update", err))
			return
		}
	}
	status := state.Status.ValueString()
	if !plan.Paused.IsUnknown() && !plan.Paused.Equal(state.Paused) {
		var err error
		if plan.Paused.ValueBool() {
			err, status = r.client.PauseCampaign(ctx, id), kakiyo.CampaignStatusPaused
		} else {
			err, status = r.client.ResumeCampaign(ctx, id), kakiyo.CampaignStatusActive
		}
		if err != nil {
			verb := map[bool]string{true: "pause", false: "resume"}[plan.Paused.ValueBool()]
			resp.Diagnostics.Append(apiErrorDiagnostic(campaignObject(id), verb, err))
			// The update above was applied: keep it, with the old status.
			plan.Paused, plan.Status = state.Paused, state.Status
			resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
			return
		}
	}
	plan.Status = types.StringValue(status)
	plan.Paused = types.BoolValue(status == kakiyo.CampaignStatusPaused)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

// Delete pauses the campaign (Kakiyo cannot delete one) and lets it leave
// the state, with a warning that says so.
func (r *campaignResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state campaignModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	r.reader.Wrote(id)
	status := state.Status.ValueString()
	if status != kakiyo.CampaignStatusPaused && status != kakiyo.CampaignStatusCompleted {
		gone, err := settleGone(ctx, r.client, r.client.PauseCampaign(ctx, id))
		switch {
		case err == nil && !gone, kakiyo.IsInvalidStatus(err):
			// Paused now, or in a status that cannot be paused (completed).
		case gone:
			tflog.Info(ctx, "Kakiyo campaign already gone", map[string]any{"campaign_id": id})
			return
		default:
			resp.Diagnostics.Append(apiErrorDiagnostic(campaignObject(id), "pause (Kakiyo cannot delete campaigns; "+
				"the destroy pauses them)", err))
			return
		}
	}
	resp.Diagnostics.AddWarning("Kakiyo campaign paused, not deleted", fmt.Sprintf(
		"Kakiyo has no way to delete a campaign: campaign %q (%s) was paused and removed from the Terraform state. "+
			"It still exists in Kakiyo, paused. To manage it again: terraform import <address> %s.",
		id, state.Name.ValueString(), id))
}
