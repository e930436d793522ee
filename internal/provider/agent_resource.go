package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var (
	_ resource.Resource                   = (*agentResource)(nil)
	_ resource.ResourceWithConfigure      = (*agentResource)(nil)
	_ resource.ResourceWithImportState    = (*agentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*agentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*agentResource)(nil)
	_ resource.ResourceWithIdentity       = (*agentResource)(nil)
)

// NewAgentResource returns the kakiyo_agent resource.
func NewAgentResource() resource.Resource {
	return &agentResource{idImport: idImport{noun: "agent", example: exampleID}}
}

type agentResource struct {
	idImport
	client  *kakiyo.Client
	export  *exporter
	reader  *walk.Reader[kakiyo.Agent]
	creates *walk.CreateGuard[kakiyo.Agent]
}

func (r *agentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent"
}

// Default time limits of each operation, retries and rate-limit waits
// included; the timeouts attribute changes them.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

func (r *agentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.export, r.reader, r.creates = data.client, data.export, data.agents, data.agentCreates
}

func (r *agentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config agentModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &config)...)
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

	created := r.createAgent(ctx, &resp.Diagnostics)
	if created == nil {
		return
	}
	id := created.ID
	r.reader.Wrote(id)
	tflog.Info(ctx, "Created Kakiyo agent", map[string]any{"agent_id": id})
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)

	// From here on the agent exists and costs money: whatever fails next, it
	// must be in the state, or Terraform would lose track of it.
	partial := plan
	partial.ID = types.StringValue(id)
	resp.Diagnostics.Append(partial.fillUnknownFrom(ctx, nullView())...)
	fail := func(step string, err error) {
		resp.Diagnostics.Append(agentCreateIncompleteDiagnostic(id, step, err))
		resp.Diagnostics.Append(setState(ctx, &resp.State, &partial)...)
	}

	setup, diags := linkedInSetup(ctx, &config, nil)
	resp.Diagnostics.Append(diags...)
	update, diags := settingsUpdate(ctx, &config, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(setState(ctx, &resp.State, &partial)...)
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
		var err error
		agent, err = r.client.GetAgent(ctx, id)
		if err != nil {
			// Everything asked for was done: keep the agent, untainted, with
			// what is known; the next refresh reads the rest.
			d := apiErrorDiagnostic(agentObject(id), "read back", err)
			resp.Diagnostics.AddWarning("Kakiyo agent created; reading it back failed", fmt.Sprintf(
				"Agent %q was created and configured, but reading it back failed, so its computed values "+
					"(status, usage, ...) are empty until the next refresh.\n\n%s: %s", id, d.Summary(), d.Detail()))
			resp.Diagnostics.Append(setState(ctx, &resp.State, &partial)...)
			return
		}
	}
	resp.Diagnostics.Append(plan.setFromAPI(ctx, agent)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

// createAgent sends POST /agents and returns the new agent, or nil with
// diagnostics. A lost answer is settled by the run's baseline (see
// lostCreate and walk.CreateGuard): the agent Kakiyo made is adopted, with a
// warning, or, when Kakiyo made none, the POST is sent again.
func (r *agentResource) createAgent(ctx context.Context, diags *diag.Diagnostics) *kakiyo.Agent {
	created, adopted := lostCreate[kakiyo.Agent]{
		noun: "agent", resourceType: "kakiyo_agent", guard: r.creates,
		id:         func(a *kakiyo.Agent) string { return a.ID },
		candidates: `in status "setup_needed" that no create of this run claimed`,
	}.create(ctx, func(ctx context.Context) (*kakiyo.Agent, error) {
		r.reader.Wrote("")
		return r.client.CreateAgent(ctx)
	}, diags)
	if adopted {
		a := *created // the listing's, shared with the run's readers
		if a.Summary {
			a.Status = "" // the listing showed only part of it: read it back
		}
		return &a
	}
	return created
}

func (r *agentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state agentModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
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
	// The identity is the id, known before the read; the framework wants it
	// even when the agent turns out to be gone.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	// From the run's one listing where many agents are read (see
	// walk.Reader); an agent missing from it is confirmed by id first.
	agent, err := r.reader.Read(ctx, state.ID.ValueString())
	gone, err := settleGone(ctx, r.client, err)
	if gone {
		tflog.Warn(ctx, "Kakiyo agent not found; removing it from state so that the next plan re-creates it",
			map[string]any{"agent_id": state.ID.ValueString()})
		r.export.settleGone(ctx, agentObject(state.ID.ValueString()))
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

	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *agentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config agentModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &config)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
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
	r.reader.Wrote(id)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	// If a step fails, the prior state is kept: every step is safe to repeat,
	// and the next plan shows what is still to do.
	keepPrior := func() { resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...) }

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
		resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
		return
	}
	agent, err := r.client.GetAgent(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "read back", err))
		keepPrior()
		return
	}
	resp.Diagnostics.Append(plan.setFromAPI(ctx, agent)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

// ModifyPlan stops a plan that would destroy an agent Kakiyo will not
// delete, before anything at all is destroyed: an agent with
// deletion_protection, or one that is not "ended". The status decides only
// when this run read it: the state's "ended" is left to the DELETE's answer
// (no call), and a state that says otherwise is checked with one read of
// the agent (the walk's listing when many are read) unless this run's
// refresh read it already; see destroyStatus.
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
	// Only what the decision needs is read: a plan of hundreds of agents
	// runs this for each.
	var id, status types.String
	var protected types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &status)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("deletion_protection"), &protected)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if protected.ValueBool() {
		resp.Diagnostics.Append(agentDeletionProtectedDiagnostic(id.ValueString()))
		return
	}
	if !known(status) || status.ValueString() == kakiyo.StatusEnded {
		return // the DELETE's answer decides
	}
	current, ok := r.destroyStatus(ctx, req, id.ValueString(), &resp.Diagnostics)
	if !ok || current == kakiyo.StatusEnded {
		return
	}
	tflog.Info(ctx, "Refusing to plan the deletion of a Kakiyo agent that is not ended",
		map[string]any{"agent_id": id.ValueString(), "current_status": current})
	resp.Diagnostics.Append(agentNotEndedDiagnostic(id.ValueString(), current, nil))
}

// destroyStatus is the status of agent id as this run read it: from the
// run's reads when this run's refresh read it, otherwise from one read now
// (a destroy with -refresh=false, or whose refresh ran in a walk of its
// own). ok is false when there is nothing to decide: the agent is gone, or
// the read failed (then diags says so).
func (r *agentResource) destroyStatus(ctx context.Context, req resource.ModifyPlanRequest, id string, diags *diag.Diagnostics) (string, bool) {
	if r.reader == nil {
		return "", false // not configured: Terraform calls no plan then
	}
	if agent, read := r.reader.ReadThisRun(id); read {
		return agent.Status, true
	}
	var timeoutsValue timeouts.Value
	diags.Append(req.State.GetAttribute(ctx, path.Root("timeouts"), &timeoutsValue)...)
	limit, d := timeoutsValue.Read(ctx, defaultReadTimeout)
	diags.Append(d...)
	if diags.HasError() {
		return "", false
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	tflog.Debug(ctx, "This run has not read the agent to destroy; reading its status", map[string]any{"agent_id": id})
	agent, err := r.reader.Read(ctx, id)
	gone, err := settleGone(ctx, r.client, err)
	switch {
	case gone:
		return "", false // gone already: nothing to refuse
	case err != nil:
		diags.Append(apiErrorDiagnostic(agentObject(id), "read the status of", err))
		return "", false
	}
	return agent.Status, true
}

func (r *agentResource) modifyUpdatePlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	// Most plans have no linkedin block, or the one already applied: look
	// at it alone before reading the whole plan and state.
	var linkedIn types.Object
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("linkedin"), &linkedIn)...)
	if resp.Diagnostics.HasError() || !known(linkedIn) {
		return
	}
	var plan, state agentModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
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
	var idValue types.String
	var protected types.Bool
	var timeoutsValue timeouts.Value
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &idValue)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("deletion_protection"), &protected)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("timeouts"), &timeoutsValue)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := idValue.ValueString()
	if protected.ValueBool() {
		// Reached when no destroy plan ran ModifyPlan, e.g. the replacement
		// of a tainted agent.
		resp.Diagnostics.Append(agentDeletionProtectedDiagnostic(id))
		return
	}
	limit, diags := timeoutsValue.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	r.reader.Wrote(id)
	// The record (when export_dir asks for one) is made from the state that
	// this destroy's refresh read: no API call.
	record := func() (any, diag.Diagnostics) {
		var state agentModel
		diags := getState(ctx, req.State, &state)
		return agentRecordOf(ctx, &state), diags
	}
	r.export.withRecord(ctx, agentObject(id), record, &resp.Diagnostics, func() error {
		return r.deleteAgent(ctx, id, resp)
	})
}

// deleteAgent sends the DELETE (and, on invalid_status, what the contract
// needs) and reports the outcome as diagnostics; it returns nil when
// deleted, errAlreadyGone when Kakiyo said the agent was gone already, and
// otherwise the failure.
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
				err = getErr // gone after all (settleGone below decides)
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

	gone, err := settleGone(ctx, r.client, err)
	switch {
	case gone:
		tflog.Info(ctx, "Kakiyo agent already gone; treating it as deleted",
			map[string]any{"agent_id": id, "result": "already_gone"})
		return errAlreadyGone
	case err == nil:
		tflog.Info(ctx, "Deleted Kakiyo agent", map[string]any{"agent_id": id, "result": "deleted"})
	default:
		tflog.Info(ctx, "Kakiyo agent delete failed", map[string]any{"agent_id": id, "result": "error"})
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "delete", err))
	}
	return err
}
