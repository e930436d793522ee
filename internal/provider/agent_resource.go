package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

var (
	_ resource.Resource                   = (*agentResource)(nil)
	_ resource.ResourceWithConfigure      = (*agentResource)(nil)
	_ resource.ResourceWithImportState    = (*agentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*agentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*agentResource)(nil)
)

var (
	daysPattern = regexp.MustCompile(`^[01](:[01]){6}$`)
	hhmmPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	// Loose on purpose: Kakiyo decides what a valid login is.
	emailPattern   = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// NewAgentResource returns the kakiyo_agent resource.
func NewAgentResource() resource.Resource { return &agentResource{} }

type agentResource struct {
	client *kakiyo.Client
	export *exporter
}

func (r *agentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent"
}

const noDriftNote = " Kakiyo's API does not return this value, so the provider keeps the configured value in state " +
	"and cannot detect a change made outside Terraform. Removing it from the configuration leaves the agent's " +
	"current value in Kakiyo unchanged."

// Default time limits of each operation, retries and rate-limit waits
// included; the timeouts attribute changes them.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

func (r *agentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Kakiyo sets these once (id) or on LinkedIn setup (the profile): a plan
	// keeps the known value instead of showing it as "known after apply".
	stable := func(name string) schema.StringAttribute {
		return schema.StringAttribute{
			Computed: true, MarkdownDescription: agentAttrs[name].desc,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	limit := func(desc string, lo, hi int64) schema.Int64Attribute {
		return schema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("%s Between %d and %d.", desc, lo, hi),
			Validators:          []validator.Int64{int64validator.Between(lo, hi)},
		}
	}
	wh := agentAttrs["working_hours"].attrs
	whString := func(name, example string, re *regexp.Regexp, msg string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: wh[name].desc + " When left out, Kakiyo's value is kept.",
			Validators:          []validator.String{stringvalidator.RegexMatches(re, msg+", for example "+example)},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Kakiyo agent: a paid slot that runs LinkedIn outreach with its own browser profile, " +
			"proxy, credentials and history.\n\n" +
			"**Deleting an agent.** Kakiyo deletes an agent only when its status is `ended`, and no public API call " +
			"ends an agent. Destroying an agent in any other status fails with a `Kakiyo agent not ended` error " +
			"that names the agent and its status; the agent stays in Kakiyo and in the Terraform state. An agent " +
			"that is already gone from Kakiyo counts as deleted.",
		Attributes: map[string]schema.Attribute{
			"id":        stable("id"),
			"name":      stable("name"),
			"status":    agentAttrs["status"].resource(),
			"login":     stable("login"),
			"country":   stable("country"),
			"avatar":    stable("avatar"),
			"next_task": agentAttrs["next_task"].resource(),
			"paused": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Whether the agent is paused. Set `true` to pause it, `false` to resume it. " +
					"When left out, the provider does not pause or resume the agent and shows whether it is paused.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"skip_in_network": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Do not message people who are already in the LinkedIn network (Kakiyo setting " +
					"`skipInNetwork`)." + noDriftNote,
			},
			"invitations_only": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Send invitations only, with no follow-up messages (Kakiyo setting " +
					"`invitationsOnly`)." + noDriftNote,
			},
			"deletion_protection": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, Terraform refuses to delete the agent, at plan time and at apply " +
					"time, without calling Kakiyo. Set it to `false` and apply before destroying the agent. " +
					"Defaults to `false`. Kept in Terraform only; Kakiyo knows nothing of it.",
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
			"linkedin": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "The LinkedIn account the agent works with, connected through Kakiyo's agent setup " +
					"call (`POST /agents/{id}/setup`, known from Kakiyo's n8n node). The account is connected on " +
					"create, and again whenever `login`, `country` or `password_wo_version` changes. LinkedIn may then " +
					"ask for two-factor authentication: see `alerts`. Needs Terraform 1.11 or later (write-only " +
					"attributes); the rest of the resource works on older versions.",
				Attributes: map[string]schema.Attribute{
					"login": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: "LinkedIn login (e-mail). A change made in Kakiyo shows as drift.",
						Validators: []validator.String{stringvalidator.RegexMatches(emailPattern,
							"must be the e-mail address of the LinkedIn account")},
					},
					"country": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Two-letter country code for the agent's proxy, e.g. `US` (Kakiyo's default when left out).",
						Validators: []validator.String{stringvalidator.RegexMatches(countryPattern,
							`must be a two-letter country code in capitals, for example "US"`)},
					},
					"password_wo": schema.StringAttribute{
						Required: true, WriteOnly: true, Sensitive: true,
						MarkdownDescription: "LinkedIn password. Write-only: sent to Kakiyo when the account is connected, " +
							"never stored in the plan or the state. Change `password_wo_version` to send it again.",
					},
					"password_wo_version": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: "Any number; change it to send `password_wo` again (e.g. after rotating " +
							"the password). Terraform cannot see a change to a write-only value by itself.",
					},
				},
			},
			"working_hours": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: agentAttrs["working_hours"].desc + " Kakiyo returns working hours, so a change made outside " +
					"Terraform to a value set here shows as drift in the next plan. Only the values set here are sent; " +
					"when the whole attribute is left out, the provider does not change the working hours and shows " +
					"Kakiyo's current values.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"days": whString("days", `"1:1:1:1:1:0:0"`, daysPattern,
						"must be seven 0/1 flags separated by colons, Monday first"),
					"start": whString("start", `"09:00"`, hhmmPattern, "must be a time of day as HH:MM on a 24-hour clock"),
					"stop":  whString("stop", `"17:00"`, hhmmPattern, "must be a time of day as HH:MM on a 24-hour clock"),
					"timezone": schema.Float64Attribute{
						Computed: true, MarkdownDescription: wh["timezone"].desc,
						PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown()},
					},
				},
			},
			"limits": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Daily activity limits; Kakiyo picks a daily number between each minimum and " +
					"maximum. Each minimum must not exceed its maximum." + noDriftNote,
				Attributes: map[string]schema.Attribute{
					"invitations_min": limit("Minimum invitations a day.", 1, 100),
					"invitations_max": limit("Maximum invitations a day.", 2, 100),
					"messages_min":    limit("Minimum messages a day.", 1, 500),
					"messages_max":    limit("Maximum messages a day.", 2, 500),
				},
			},
			"usage":  agentAttrs["usage"].resource(),
			"alerts": agentAttrs["alerts"].resource(),
		},
	}
}

func (r *agentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.export = data.client, data.export
}

// ValidateConfig checks what one attribute's validator cannot: that
// working_hours and limits set something, and that each daily minimum does not exceed its maximum.
func (r *agentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var wh types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("working_hours"), &wh)...)
	if known(wh) {
		var w workingHoursModel
		resp.Diagnostics.Append(wh.As(ctx, &w, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
		if w.Days.IsNull() && w.Start.IsNull() && w.Stop.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("working_hours"), "Empty working_hours",
				"working_hours sets nothing. Set at least one of days, start or stop, or remove the working_hours attribute.")
		}
	}

	var limits types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("limits"), &limits)...)
	if resp.Diagnostics.HasError() || !known(limits) {
		return
	}
	var l limitsModel
	resp.Diagnostics.Append(limits.As(ctx, &l, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	if resp.Diagnostics.HasError() {
		return
	}
	if l == (limitsModel{InvitationsMin: types.Int64Null(), InvitationsMax: types.Int64Null(),
		MessagesMin: types.Int64Null(), MessagesMax: types.Int64Null()}) {
		resp.Diagnostics.AddAttributeError(path.Root("limits"), "Empty limits",
			"limits sets no limit. Set at least one of invitations_min, invitations_max, messages_min or "+
				"messages_max, or remove the limits attribute.")
		return
	}
	check := func(lo, hi types.Int64, loName, hiName string) {
		if !known(lo) || !known(hi) || lo.ValueInt64() <= hi.ValueInt64() {
			return
		}
		resp.Diagnostics.AddAttributeError(path.Root("limits").AtName(loName), "Daily minimum above maximum",
			fmt.Sprintf("limits.%s (%d) must not be greater than limits.%s (%d).",
				loName, lo.ValueInt64(), hiName, hi.ValueInt64()))
	}
	check(l.InvitationsMin, l.InvitationsMax, "invitations_min", "invitations_max")
	check(l.MessagesMin, l.MessagesMax, "messages_min", "messages_max")
}

func (r *agentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config agentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	limit, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	created, err := r.client.CreateAgent(ctx)
	if kakiyo.MayHaveCreated(err) {
		resp.Diagnostics.Append(agentMayHaveCreatedDiagnostic(err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(object{noun: "agent"}, "create", err))
		return
	}
	id := created.ID
	tflog.Info(ctx, "Created Kakiyo agent", map[string]any{"agent_id": id})

	// From here on the agent exists and costs money: whatever fails next, it
	// must be in the state, or Terraform would lose track of it.
	partial := plan
	partial.ID = types.StringValue(id)
	resp.Diagnostics.Append(partial.fillUnknownFrom(ctx, nullView())...)
	fail := func(step string, err error) {
		resp.Diagnostics.Append(agentCreateIncompleteDiagnostic(id, step, err))
		resp.Diagnostics.Append(resp.State.Set(ctx, &partial)...)
	}

	setup, diags := linkedInSetup(ctx, &config, nil)
	resp.Diagnostics.Append(diags...)
	update, diags := settingsUpdate(ctx, &config, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &partial)...)
		return
	}
	changed := false
	if setup != nil {
		if err := r.client.SetupAgent(ctx, id, *setup); err != nil {
			fail("connect the LinkedIn account of", err)
			return
		}
		changed = true
	}
	if !update.IsEmpty() {
		if err := r.client.UpdateAgent(ctx, id, update); err != nil {
			fail("apply the settings of", err)
			return
		}
		changed = true
	}
	if plan.Paused.ValueBool() && created.Status != kakiyo.StatusPaused {
		if err := r.client.PauseAgent(ctx, id); err != nil {
			fail("pause", err)
			return
		}
		changed = true
	}

	// POST /agents may already have answered with the whole agent; read it
	// again only when that is not so or when something changed since, which
	// saves a billed call for a plain agent.
	agent := created
	if changed || created.Status == "" {
		agent, err = r.client.GetAgent(ctx, id)
		if err != nil {
			// Everything asked for was done: keep the agent, untainted, with
			// what is known; the next refresh reads the rest.
			d := apiErrorDiagnostic(agentObject(id), "read back", err)
			resp.Diagnostics.AddWarning("Kakiyo agent created; reading it back failed", fmt.Sprintf(
				"Agent %q was created and configured, but reading it back failed, so its computed values "+
					"(status, usage, ...) are empty until the next refresh.\n\n%s: %s", id, d.Summary(), d.Detail()))
			resp.Diagnostics.Append(resp.State.Set(ctx, &partial)...)
			return
		}
	}
	resp.Diagnostics.Append(plan.setFromAPI(ctx, agent)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *agentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state agentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	limit, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	agent, err := r.client.GetAgent(ctx, state.ID.ValueString())
	if kakiyo.IsNotFound(err) {
		tflog.Warn(ctx, "Kakiyo agent not found; removing it from state so that the next plan re-creates it",
			map[string]any{"agent_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(state.ID.ValueString()), "read", err))
		return
	}
	resp.Diagnostics.Append(state.setFromAPI(ctx, agent)...)
	if state.DeletionProtection.IsNull() {
		// After an import: the schema default, as a plan would set it.
		state.DeletionProtection = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *agentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config agentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	limit, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	id := state.ID.ValueString()
	// If a step fails, the prior state is kept: every step is safe to repeat,
	// and the next plan shows what is still to do.
	keepPrior := func() { resp.Diagnostics.Append(resp.State.Set(ctx, &state)...) }

	setup, diags := linkedInSetup(ctx, &config, &state)
	resp.Diagnostics.Append(diags...)
	update, diags := settingsUpdate(ctx, &config, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		keepPrior()
		return
	}
	if setup != nil {
		if err := r.client.SetupAgent(ctx, id, *setup); err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "connect the LinkedIn account of", err))
			keepPrior()
			return
		}
	}
	if !update.IsEmpty() {
		if err := r.client.UpdateAgent(ctx, id, update); err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "update", err))
			keepPrior()
			return
		}
	}
	pauseChanged := known(plan.Paused) && !plan.Paused.Equal(state.Paused)
	if pauseChanged {
		call, verb := r.client.ResumeAgent, "resume"
		if plan.Paused.ValueBool() {
			call, verb = r.client.PauseAgent, "pause"
		}
		if err := call(ctx, id); err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), verb, err))
			keepPrior()
			return
		}
	}
	if setup == nil && !pauseChanged {
		// Nothing sent (only Terraform-side values changed), or only a PUT of
		// settings, which changes nothing but what it sends: no need to pay
		// for a read-back. The rest is what this run's refresh just read.
		resp.Diagnostics.Append(plan.fillUnknownFrom(ctx, &state.agentView)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	agent, err := r.client.GetAgent(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "read back", err))
		keepPrior()
		return
	}
	resp.Diagnostics.Append(plan.setFromAPI(ctx, agent)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// ModifyPlan stops a plan that would destroy an agent Kakiyo will not
// delete, before anything at all is destroyed: an agent with
// deletion_protection, or one whose status (as of the refresh that this plan
// just made) is not "ended". It reads the state only: no API call.
//
// For updates that connect a LinkedIn account again, it marks the profile
// values Kakiyo will change as unknown.
func (r *agentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return // create: everything computed is unknown already
	}
	if !req.Plan.Raw.IsNull() {
		r.modifyUpdatePlan(ctx, req, resp)
		return
	}
	var state agentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	switch {
	case state.DeletionProtection.ValueBool():
		resp.Diagnostics.Append(agentDeletionProtectedDiagnostic(id))
	case known(state.Status) && state.Status.ValueString() != kakiyo.StatusEnded:
		tflog.Info(ctx, "Refusing to plan the deletion of a Kakiyo agent that is not ended",
			map[string]any{"agent_id": id, "current_status": state.Status.ValueString()})
		resp.Diagnostics.Append(agentNotEndedDiagnostic(id, state.Status.ValueString(), nil))
	}
}

func (r *agentResource) modifyUpdatePlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var plan, state agentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !known(plan.LinkedIn) {
		return
	}
	setup, diags := linkedInSetup(ctx, &plan, &state)
	resp.Diagnostics.Append(diags...)
	if setup == nil {
		return
	}
	for _, name := range []string{"login", "country", "name", "avatar"} {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
	}
}

// Delete follows Kakiyo's Delete Agent contract with one DELETE call:
// success, or not_found (already gone), both remove the agent from state;
// invalid_status is explained with the agent's current status and the ways
// forward, and the agent stays in state; any other error keeps it in state.
func (r *agentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state agentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if state.DeletionProtection.ValueBool() {
		// Reached when no destroy plan ran ModifyPlan, e.g. the replacement
		// of a tainted agent.
		resp.Diagnostics.Append(agentDeletionProtectedDiagnostic(id))
		return
	}
	limit, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	// Nothing is deleted without its record, when export_dir asks for one:
	// written from the state that this destroy's refresh read (no API call).
	var record *exportFile
	if r.export != nil {
		var err error
		if record, err = r.export.begin("agent", id, agentRecordOf(ctx, &state)); err != nil {
			resp.Diagnostics.Append(exportFailedDiagnostic(agentObject(id), r.export.dir, err))
			return
		}
	}
	err := r.deleteAgent(ctx, id, resp)
	if record == nil {
		return
	}
	switch {
	case err == nil:
		finishExport(record, exportDeleted, agentObject(id), &resp.Diagnostics)
	case kakiyo.IsNotFound(err):
		finishExport(record, exportAlreadyGone, agentObject(id), &resp.Diagnostics)
	default:
		// Not deleted: the agent is still in Kakiyo and in the state.
		if derr := record.discard(); derr != nil {
			tflog.Warn(ctx, "Could not remove the export of an agent that was not deleted",
				map[string]any{"agent_id": id, "error": derr.Error()})
		}
	}
}

// deleteAgent sends the DELETE (and, on invalid_status, what the contract
// needs) and reports the outcome as diagnostics; it returns the final error:
// nil when deleted, a not_found error when already gone.
func (r *agentResource) deleteAgent(ctx context.Context, id string, resp *resource.DeleteResponse) error {
	// The status in state is not trusted here: it may have changed since the
	// plan. Kakiyo's answer decides.
	err := r.client.DeleteAgent(ctx, id)

	if kakiyo.IsInvalidStatus(err) {
		status := kakiyo.CurrentStatus(err)
		if status == "" {
			// The body did not say; one read tells the user what to do.
			agent, getErr := r.client.GetAgent(ctx, id)
			switch {
			case kakiyo.IsNotFound(getErr):
				err = getErr // gone after all
			case getErr == nil:
				status = agent.Status
			}
		}
		if status == kakiyo.StatusEnded {
			// It ended between Kakiyo's check and now: one more try.
			err = r.client.DeleteAgent(ctx, id)
			status = kakiyo.CurrentStatus(err)
		}
		if kakiyo.IsInvalidStatus(err) {
			tflog.Info(ctx, "Kakiyo refused to delete agent: not ended",
				map[string]any{"agent_id": id, "current_status": status, "result": "refused"})
			resp.Diagnostics.Append(agentNotEndedDiagnostic(id, status, err))
			return err
		}
	}

	switch {
	case err == nil:
		tflog.Info(ctx, "Deleted Kakiyo agent", map[string]any{"agent_id": id, "result": "deleted"})
	case kakiyo.IsNotFound(err):
		tflog.Info(ctx, "Kakiyo agent already gone; treating it as deleted",
			map[string]any{"agent_id": id, "result": "already_gone"})
	default:
		tflog.Info(ctx, "Kakiyo agent delete failed", map[string]any{"agent_id": id, "result": "error"})
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "delete", err))
	}
	return err
}

func (r *agentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if id == "" || strings.ContainsAny(id, "/ \t\n") {
		resp.Diagnostics.AddError("Invalid Kakiyo agent id",
			fmt.Sprintf("Import needs the id of a Kakiyo agent, such as \"69724b7100331796aae2\"; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
