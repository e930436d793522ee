package provider

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var (
	_ resource.Resource                   = (*webhookResource)(nil)
	_ resource.ResourceWithConfigure      = (*webhookResource)(nil)
	_ resource.ResourceWithImportState    = (*webhookResource)(nil)
	_ resource.ResourceWithValidateConfig = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*webhookResource)(nil)
	_ resource.ResourceWithIdentity       = (*webhookResource)(nil)
)

// NewWebhookResource returns the kakiyo_webhook resource.
func NewWebhookResource() resource.Resource {
	return &webhookResource{idImport: idImport{noun: "webhook", example: exampleID}}
}

type webhookResource struct {
	idImport
	client *kakiyo.Client
	reader *walk.Reader[kakiyo.Webhook]
	adopt  bool // adopt_lost_creates
}

type webhookModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	URL             types.String `tfsdk:"url"`
	Events          types.Set    `tfsdk:"events"`
	SecretWO        types.String `tfsdk:"secret_wo"`
	SecretWOVersion types.Int64  `tfsdk:"secret_wo_version"`
	Active          types.Bool   `tfsdk:"active"`
}

func webhookObject(id string) object { return object{noun: "webhook", id: id} }

func newWebhookReader(c *kakiyo.Client, mode string) *walk.Reader[kakiyo.Webhook] {
	// Kakiyo has no read of one webhook: every read is served by the
	// run's listing.
	return walk.NewReader[kakiyo.Webhook](mode, "webhooks", c.ListWebhookPages, nil,
		func(w *kakiyo.Webhook) string { return w.ID }, func(*kakiyo.Webhook) bool { return true })
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "A Kakiyo webhook: Kakiyo POSTs the events it names to an HTTPS endpoint (for example a CRM).\n\n" +
			"Kakiyo documents how to create a webhook (`POST /webhooks`). Listing, changing and deleting one are known " +
			"from Kakiyo's MCP tools and guide only: the provider uses `GET /webhooks`, `PUT /webhooks/{id}` (or `PATCH` " +
			"when Kakiyo answers `PUT` with 405) and `DELETE /webhooks/{id}`, paths it infers. Kakiyo has no read of one " +
			"webhook, so a refresh reads every webhook of the plan from one `GET /webhooks`.\n\n" +
			"Kakiyo disables a webhook after four failed deliveries in a row. The plan then shows `active` going from " +
			"`false` to `true`, and `terraform apply` re-enables it. If Kakiyo refuses to re-enable it through the API, the " +
			"apply says so: re-enable it in the Kakiyo dashboard (Settings, Webhooks) once the endpoint answers again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of the webhook.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the webhook, as the dashboard shows it.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"url": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "HTTPS endpoint that receives the events. Kakiyo waits up to 10 seconds for an answer.",
				Validators:          []validator.String{httpsURLValidator{}},
			},
			"events": schema.SetAttribute{
				ElementType: types.StringType,
				Required:    true,
				MarkdownDescription: "Events to send, or `[\"*\"]` for every event. Kakiyo's pages name three different " +
					"families of events (`linkedin.message.sent`, ...; `prospect.qualification.manual`, ...; " +
					"`prospect.qualified`, ...): any name is accepted, and a name that none of them lists gets a warning " +
					"at plan time. The `kakiyo_webhook_events` data source lists the events of Kakiyo's test endpoint.",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"secret_wo": schema.StringAttribute{
				Optional:  true,
				WriteOnly: true,
				Sensitive: true,
				MarkdownDescription: "Secret with which Kakiyo signs each delivery (HMAC-SHA256 of the body, in the " +
					"`X-Kakiyo-Signature` header). Write-only (Terraform 1.11 and later): sent to Kakiyo on create and " +
					"whenever `secret_wo_version` changes, never stored in the plan or the state.",
			},
			"secret_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; change it to send `secret_wo` again (after rotating the secret). " +
					"Requires `secret_wo`.",
			},
			"active": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether Kakiyo delivers events to the webhook. Kakiyo sets it to `false` after four " +
					"failed deliveries in a row; the next apply re-enables it.",
			},
		},
	}
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.reader, r.adopt = data.client, data.webhooks, data.adoptLostCreates
}

// ValidateConfig warns about event names that none of Kakiyo's pages lists
// (a typo, or a name Kakiyo added since), and wants secret_wo with
// secret_wo_version.
func (r *webhookResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg webhookModel
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !cfg.SecretWOVersion.IsNull() && cfg.SecretWO.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("secret_wo_version"), "secret_wo_version without secret_wo",
			"secret_wo_version says when to send secret_wo again, but secret_wo is not set. Set secret_wo (for example "+
				"from a variable or an ephemeral value), or remove secret_wo_version.")
	}
	if !known(cfg.Events) {
		return
	}
	for _, v := range cfg.Events.Elements() {
		s, ok := v.(types.String)
		if !ok || !known(s) || kakiyo.IsKnownWebhookEvent(s.ValueString()) {
			continue
		}
		resp.Diagnostics.AddAttributeWarning(path.Root("events"), "Unknown Kakiyo webhook event",
			fmt.Sprintf("No Kakiyo page lists the event %q. Kakiyo may never send it: check the spelling.\n\n"+
				"Names Kakiyo's pages give: %s.\n\nThe provider sends it anyway, since Kakiyo's lists disagree and may be "+
				"incomplete; Kakiyo itself may refuse it.", s.ValueString(), knownEventsLine()))
	}
}

func knownEventsLine() string {
	seen := map[string]bool{}
	var names []string
	for _, family := range kakiyo.WebhookEventFamilies {
		for _, n := range family {
			if !seen[n] {
				seen[n] = true
				names = append(names, fmt.Sprintf("%q", n))
			}
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ModifyPlan plans active: true where Kakiyo disabled the webhook (the
// apply re-enables it), the known value otherwise.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var state webhookModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	active := state.Active
	if !known(active) || !active.ValueBool() {
		active = types.BoolValue(true)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("active"), active)...)
}

func (r *webhookResource) input(ctx context.Context, plan, config *webhookModel, withSecret bool) (kakiyo.WebhookInput, diag.Diagnostics) {
	in := kakiyo.WebhookInput{Name: plan.Name.ValueString(), URL: plan.URL.ValueString()}
	diags := plan.Events.ElementsAs(ctx, &in.Events, false)
	slices.Sort(in.Events)
	if withSecret && !config.SecretWO.IsNull() {
		secret := config.SecretWO.ValueString()
		in.Secret = &secret
	}
	return in, diags
}

func (m *webhookModel) setFromAPI(w *kakiyo.Webhook) diag.Diagnostics {
	m.ID = types.StringValue(w.ID)
	m.Name = types.StringValue(w.Name)
	m.URL = types.StringValue(w.URL)
	events := make([]attr.Value, 0, len(w.Events))
	for _, e := range w.Events {
		events = append(events, types.StringValue(e))
	}
	set, diags := types.SetValue(types.StringType, events)
	m.Events = set
	m.Active = types.BoolValue(w.Active == nil || *w.Active)
	m.SecretWO = types.StringNull()
	return diags
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config webhookModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := r.input(ctx, &plan, &config, true)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	r.reader.Wrote("")
	w := r.create(ctx, in, &resp.Diagnostics)
	if w == nil {
		return
	}
	tflog.Info(ctx, "Created Kakiyo webhook", map[string]any{"webhook_id": w.ID})
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, w.ID)...)
	version := plan.SecretWOVersion
	resp.Diagnostics.Append(plan.setFromAPI(w)...)
	plan.SecretWOVersion = version
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

// create sends POST /webhooks; a lost answer is settled by the one webhook
// with the same name, URL and events (see lostCreate).
func (r *webhookResource) create(ctx context.Context, in kakiyo.WebhookInput, diags *diag.Diagnostics) *kakiyo.Webhook {
	w, _ := lostCreate[kakiyo.Webhook]{
		noun:         "webhook",
		resourceType: "kakiyo_webhook",
		adopt:        r.adopt,
		reader:       r.reader,
		same: func(w *kakiyo.Webhook) bool {
			events := slices.Clone(w.Events)
			slices.Sort(events)
			return w.Name == in.Name && w.URL == in.URL && slices.Equal(events, in.Events)
		},
		id:         func(w *kakiyo.Webhook) string { return w.ID },
		candidates: fmt.Sprintf("named %q for %s with the events %q", in.Name, in.URL, in.Events),
	}.create(ctx, func(ctx context.Context) (*kakiyo.Webhook, error) { return r.client.CreateWebhook(ctx, in) }, diags)
	return w
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	w, err := r.reader.Read(ctx, id)
	gone, err := settleGone(ctx, r.client, err)
	if gone {
		tflog.Warn(ctx, "Kakiyo webhook not found; removing it from state so that the next plan re-creates it",
			map[string]any{"webhook_id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(webhookObject(id), "read", err))
		return
	}
	resp.Diagnostics.Append(state.setFromAPI(w)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config webhookModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	in, diags := r.input(ctx, &plan, &config, !plan.SecretWOVersion.Equal(state.SecretWOVersion))
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	reenable := !state.Active.ValueBool()
	if reenable {
		active := true
		in.Active = &active
	}
	r.reader.Wrote(id)
	err := r.client.UpdateWebhook(ctx, id, in)
	if err != nil && reenable && kakiyo.IsValidation(err) {
		// Kakiyo may not let the API set active: apply the rest, and say
		// how to re-enable it.
		in.Active = nil
		if err = r.client.UpdateWebhook(ctx, id, in); err == nil {
			resp.Diagnostics.AddError("Kakiyo webhook still disabled", fmt.Sprintf(
				"Kakiyo disabled webhook %q after failed deliveries, and refused to re-enable it through the API. The "+
					"other changes were applied.\n\nMake sure %s answers, then re-enable the webhook in the Kakiyo "+
					"dashboard (Settings, Webhooks); the next plan then shows no change.", id, in.URL))
			plan.Active = types.BoolValue(false)
			plan.SecretWO = types.StringNull()
			resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
			return
		}
	}
	if kakiyo.IsNotFound(err) {
		resp.Diagnostics.AddError("Kakiyo webhook not found", fmt.Sprintf(
			"Webhook %q no longer exists in Kakiyo (it was deleted outside Terraform after the plan).\n\n%s\n\n"+
				"Run terraform apply again: the refresh notices it is gone and plans to create it.", id, describe(err)))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(webhookObject(id), "update", err))
		return
	}
	plan.SecretWO = types.StringNull()
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	r.reader.Wrote(id)
	err := r.client.DeleteWebhook(ctx, id)
	gone, err := settleGone(ctx, r.client, err)
	switch {
	case gone:
		tflog.Info(ctx, "Kakiyo webhook already gone; treating it as deleted", map[string]any{"webhook_id": id})
	case err == nil:
		tflog.Info(ctx, "Deleted Kakiyo webhook", map[string]any{"webhook_id": id})
	default:
		resp.Diagnostics.Append(apiErrorDiagnostic(webhookObject(id), "delete", err))
	}
}

// httpsURLValidator accepts an absolute https:// URL with a host.
type httpsURLValidator struct{}

func (httpsURLValidator) Description(context.Context) string {
	return "must be an absolute https:// URL"
}

func (v httpsURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (httpsURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || !u.IsAbs():
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid webhook URL",
			fmt.Sprintf("%q is not an absolute URL. Give the endpoint's full address, such as \"https://crm.example.com/kakiyo\".", raw))
	case u.Scheme != "https":
		resp.Diagnostics.AddAttributeError(req.Path, "Webhook URL must use HTTPS",
			fmt.Sprintf("%q uses %s://. Kakiyo delivers events to HTTPS endpoints only: use https://%s%s.", raw, u.Scheme, u.Host, u.EscapedPath()))
	}
}
