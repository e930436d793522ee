package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// agentAttrs declares, once, what Kakiyo reports of an agent: the
// kakiyo_agent resource, the kakiyo_agent data source and the kakiyo_agents
// summaries build their schemas from it.
var agentAttrs = map[string]computed{
	"id":   cString("Agent id assigned by Kakiyo."),
	"name": cString("Name of the agent's LinkedIn profile; null until the agent is set up."),
	"status": cString("Agent status as Kakiyo reports it: `setup_needed`, `auth_needed`, `auth_in_progress`, " +
		"`running`, `paused`, `disabled` or `ended` (other values are passed through). Only `ended` agents can be deleted."),
	"login":     cString("LinkedIn login (e-mail) of the agent; null until the agent is set up."),
	"country":   cString("Two-letter country code of the agent; null until the agent is set up."),
	"avatar":    cString("URL of the agent's avatar; null until the agent is set up."),
	"next_task": cString("Time (ISO 8601) of the agent's next scheduled task, if any."),
	"paused":    cBool("Whether the agent's status is `paused`."),
	"working_hours": cObject("When the agent works.", map[string]computed{
		"days": cString("Seven `0`/`1` flags separated by colons, Monday first; `1` is a working day. " +
			"For example `1:1:1:1:1:0:0` for Monday to Friday."),
		"start": cString("Start of the working day, `HH:MM` on a 24-hour clock, e.g. `09:00`."),
		"stop":  cString("End of the working day, `HH:MM` on a 24-hour clock, e.g. `17:00`."),
		"timezone": cFloat64("Time zone of the working hours as Kakiyo reports it (a number; Kakiyo does not " +
			"document its unit). Read-only: the API cannot set it."),
	}),
	"usage": cObject("Usage counters as Kakiyo reports them.", map[string]computed{
		"invitations":       cInt64("Invitations sent."),
		"invitations_daily": cInt64("Invitations sent today."),
		"messages":          cInt64("Messages sent."),
		"messages_daily":    cInt64("Messages sent today."),
		"next_invitation":   cString("Time (ISO 8601) of the next invitation."),
		"next_message":      cString("Time (ISO 8601) of the next message."),
	}),
	"alerts": cObjectList("Open alerts on the agent, for example a LinkedIn two-factor authentication request.",
		map[string]computed{
			"type":     cString("Alert type, e.g. `auth`."),
			"sub_type": cString("Alert sub-type, e.g. `2fa_required`."),
			"message":  cString("Alert text."),
			"severity": cString("Alert severity, e.g. `warning`."),
		}),
}

// The attribute types of the agent's nested values, from agentAttrs.
var (
	workingHoursAttrTypes = agentAttrs["working_hours"].attrTypes()
	usageAttrTypes        = agentAttrs["usage"].attrTypes()
	alertAttrTypes        = agentAttrs["alerts"].attrTypes()
)

// agentView is what GET /agents/{id} shows of an agent: the kakiyo_agent
// data source's whole model, and the part of the resource's model that
// Kakiyo reports.
type agentView struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Status       types.String `tfsdk:"status"`
	Login        types.String `tfsdk:"login"`
	Country      types.String `tfsdk:"country"`
	Avatar       types.String `tfsdk:"avatar"`
	NextTask     types.String `tfsdk:"next_task"`
	Paused       types.Bool   `tfsdk:"paused"`
	WorkingHours types.Object `tfsdk:"working_hours"`
	Usage        types.Object `tfsdk:"usage"`
	Alerts       types.List   `tfsdk:"alerts"`
}

// agentModel is the kakiyo_agent resource's data: the view plus what only
// the configuration (or Terraform) knows.
type agentModel struct {
	agentView
	SkipInNetwork      types.Bool     `tfsdk:"skip_in_network"`
	InvitationsOnly    types.Bool     `tfsdk:"invitations_only"`
	DeletionProtection types.Bool     `tfsdk:"deletion_protection"`
	LinkedIn           types.Object   `tfsdk:"linkedin"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
	Limits             types.Object   `tfsdk:"limits"`
}

type workingHoursModel struct {
	Days     types.String  `tfsdk:"days"`
	Start    types.String  `tfsdk:"start"`
	Stop     types.String  `tfsdk:"stop"`
	Timezone types.Float64 `tfsdk:"timezone"`
}

type usageModel struct {
	Invitations      types.Int64  `tfsdk:"invitations"`
	InvitationsDaily types.Int64  `tfsdk:"invitations_daily"`
	Messages         types.Int64  `tfsdk:"messages"`
	MessagesDaily    types.Int64  `tfsdk:"messages_daily"`
	NextInvitation   types.String `tfsdk:"next_invitation"`
	NextMessage      types.String `tfsdk:"next_message"`
}

type alertModel struct {
	Type     types.String `tfsdk:"type"`
	SubType  types.String `tfsdk:"sub_type"`
	Message  types.String `tfsdk:"message"`
	Severity types.String `tfsdk:"severity"`
}

type linkedInModel struct {
	Login             types.String `tfsdk:"login"`
	Country           types.String `tfsdk:"country"`
	PasswordWO        types.String `tfsdk:"password_wo"`
	PasswordWOVersion types.Int64  `tfsdk:"password_wo_version"`
}

type limitsModel struct {
	InvitationsMin types.Int64 `tfsdk:"invitations_min"`
	InvitationsMax types.Int64 `tfsdk:"invitations_max"`
	MessagesMin    types.Int64 `tfsdk:"messages_min"`
	MessagesMax    types.Int64 `tfsdk:"messages_max"`
}

// nullView is a view whose values are all null: what the state of a
// half-created agent shows for what is not known.
func nullView() *agentView {
	return &agentView{
		WorkingHours: types.ObjectNull(workingHoursAttrTypes),
		Usage:        types.ObjectNull(usageAttrTypes),
		Alerts:       types.ListNull(types.ObjectType{AttrTypes: alertAttrTypes}),
	}
}

// fillUnknownFrom replaces each value that is unknown in m (from a plan) by
// the value in prior: the state this plan's refresh just read (after a PUT,
// which changes only what it sends), or nullView() (a half-created agent).
// At apply time the configuration is known, so only these computed values
// can be unknown.
func (m *agentView) fillUnknownFrom(ctx context.Context, prior *agentView) diag.Diagnostics {
	fill(&m.ID, prior.ID)
	fill(&m.Name, prior.Name)
	fill(&m.Status, prior.Status)
	fill(&m.Login, prior.Login)
	fill(&m.Country, prior.Country)
	fill(&m.Avatar, prior.Avatar)
	fill(&m.NextTask, prior.NextTask)
	fill(&m.Paused, prior.Paused)
	fill(&m.Usage, prior.Usage)
	fill(&m.Alerts, prior.Alerts)
	if !known(m.WorkingHours) {
		fill(&m.WorkingHours, prior.WorkingHours)
		return nil
	}
	// Known as a whole, with some values unknown: those the configuration
	// left out, which Kakiyo keeps as they were.
	var w, p workingHoursModel // p: all null unless prior knows better
	diags := m.WorkingHours.As(ctx, &w, basetypes.ObjectAsOptions{})
	if known(prior.WorkingHours) {
		diags.Append(prior.WorkingHours.As(ctx, &p, basetypes.ObjectAsOptions{})...)
	}
	fill(&w.Days, p.Days)
	fill(&w.Start, p.Start)
	fill(&w.Stop, p.Stop)
	fill(&w.Timezone, p.Timezone)
	obj, d := types.ObjectValueFrom(ctx, workingHoursAttrTypes, w)
	diags.Append(d...)
	m.WorkingHours = obj
	return diags
}

// fill sets *v to prior when *v is unknown.
func fill[T attr.Value](v *T, prior T) {
	if (*v).IsUnknown() {
		*v = prior
	}
}

// setFromAPI copies what GET /agents/{id} says into the resource's model.
// The arguments that the API does not return (limits, skip_in_network,
// invitations_only) are left as they are: their configured values are kept.
func (m *agentModel) setFromAPI(ctx context.Context, a *kakiyo.Agent) diag.Diagnostics {
	diags := m.agentView.setFromAPI(a)
	if known(m.LinkedIn) {
		// The LinkedIn account Kakiyo has now: a change made outside
		// Terraform shows as drift on the configured values.
		var l linkedInModel
		diags.Append(m.LinkedIn.As(ctx, &l, basetypes.ObjectAsOptions{})...)
		if a.Login != nil {
			l.Login = types.StringValue(*a.Login)
		}
		if a.Country != nil && known(l.Country) {
			l.Country = types.StringValue(*a.Country)
		}
		obj, d := types.ObjectValueFrom(ctx, m.LinkedIn.AttributeTypes(ctx), l)
		diags.Append(d...)
		m.LinkedIn = obj
	}
	return diags
}

// setFromAPI copies what GET /agents/{id} says into the view.
func (m *agentView) setFromAPI(a *kakiyo.Agent) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(a.ID)
	m.Name = types.StringPointerValue(a.Name)
	m.Status = types.StringValue(a.Status)
	m.Login = types.StringPointerValue(a.Login)
	m.Country = types.StringPointerValue(a.Country)
	m.Avatar = types.StringPointerValue(a.Avatar)
	m.NextTask = types.StringPointerValue(a.NextTask)
	m.Paused = types.BoolValue(a.Status == kakiyo.StatusPaused)

	if wh := workingHoursOf(a); wh != nil {
		obj, d := objectValue(workingHoursAttrTypes, wh)
		diags.Append(d...)
		m.WorkingHours = obj
	} else if m.WorkingHours.IsUnknown() {
		// Not returned and not known from before: nothing to show.
		m.WorkingHours = types.ObjectNull(workingHoursAttrTypes)
	}
	// Otherwise the API left working hours out: keep what was known.

	m.Usage = types.ObjectNull(usageAttrTypes)
	if u := a.Usage; u != nil {
		obj, d := objectValue(usageAttrTypes, usageModel{
			Invitations:      types.Int64PointerValue(u.Invitations),
			InvitationsDaily: types.Int64PointerValue(u.InvitationsDaily),
			Messages:         types.Int64PointerValue(u.Messages),
			MessagesDaily:    types.Int64PointerValue(u.MessagesDaily),
			NextInvitation:   types.StringPointerValue(u.NextInvitation),
			NextMessage:      types.StringPointerValue(u.NextMessage),
		})
		diags.Append(d...)
		m.Usage = obj
	}

	// Never null: no alerts is an empty list.
	alerts := make([]attr.Value, 0, len(a.Alerts))
	for _, al := range a.Alerts {
		obj, d := objectValue(alertAttrTypes, alertModel{
			Type: types.StringPointerValue(al.Type), SubType: types.StringPointerValue(al.SubType),
			Message: types.StringPointerValue(al.Message), Severity: types.StringPointerValue(al.Severity),
		})
		diags.Append(d...)
		alerts = append(alerts, obj)
	}
	list, d := types.ListValue(types.ObjectType{AttrTypes: alertAttrTypes}, alerts)
	diags.Append(d...)
	m.Alerts = list
	return diags
}

// workingHoursOf returns the agent's working hours, or nil when the API did
// not return them complete.
func workingHoursOf(a *kakiyo.Agent) *workingHoursModel {
	if a.Usage == nil || a.Usage.WorkingHours == nil {
		return nil
	}
	wh := a.Usage.WorkingHours
	if wh.Days == nil || wh.Start == nil || wh.Stop == nil {
		return nil
	}
	return &workingHoursModel{
		Days: types.StringPointerValue(wh.Days), Start: types.StringPointerValue(wh.Start),
		Stop: types.StringPointerValue(wh.Stop), Timezone: types.Float64PointerValue(wh.Timezone),
	}
}

// settingsUpdate builds the PUT body that takes the agent from prior to
// what config says. With prior nil (create) every configured section is
// sent. Only sections that changed are sent, and inside them only values set
// in the configuration: anything left out of the configuration is never sent.
func settingsUpdate(ctx context.Context, config, prior *agentModel) (kakiyo.AgentUpdate, diag.Diagnostics) {
	var u kakiyo.AgentUpdate
	var diags diag.Diagnostics

	if known(config.WorkingHours) {
		var c, p workingHoursModel
		diags.Append(config.WorkingHours.As(ctx, &c, basetypes.ObjectAsOptions{})...)
		priorKnown := prior != nil && known(prior.WorkingHours)
		if priorKnown {
			diags.Append(prior.WorkingHours.As(ctx, &p, basetypes.ObjectAsOptions{})...)
		}
		changed := false
		for _, f := range [][2]types.String{{c.Days, p.Days}, {c.Start, p.Start}, {c.Stop, p.Stop}} {
			if known(f[0]) && (!priorKnown || !f[0].Equal(f[1])) {
				changed = true
			}
		}
		if changed {
			u.WorkingHours = &kakiyo.WorkingHoursUpdate{
				Days: c.Days.ValueStringPointer(), Start: c.Start.ValueStringPointer(), Stop: c.Stop.ValueStringPointer(),
			}
		}
	}

	if known(config.Limits) && (prior == nil || !config.Limits.Equal(prior.Limits)) {
		var l limitsModel
		diags.Append(config.Limits.As(ctx, &l, basetypes.ObjectAsOptions{})...)
		lim := kakiyo.Limits{
			InvitationsMin: l.InvitationsMin.ValueInt64Pointer(),
			InvitationsMax: l.InvitationsMax.ValueInt64Pointer(),
			MessagesMin:    l.MessagesMin.ValueInt64Pointer(),
			MessagesMax:    l.MessagesMax.ValueInt64Pointer(),
		}
		if lim != (kakiyo.Limits{}) {
			u.Limits = &lim
		}
	}

	addSetting := func(key string, plannedV types.Bool, priorV *types.Bool) {
		if !known(plannedV) {
			return
		}
		if priorV != nil && plannedV.Equal(*priorV) {
			return
		}
		u.Settings = append(u.Settings, kakiyo.Setting{Key: key, Value: plannedV.ValueBool()})
	}
	if prior == nil {
		addSetting(kakiyo.SettingSkipInNetwork, config.SkipInNetwork, nil)
		addSetting(kakiyo.SettingInvitationsOnly, config.InvitationsOnly, nil)
	} else {
		addSetting(kakiyo.SettingSkipInNetwork, config.SkipInNetwork, &prior.SkipInNetwork)
		addSetting(kakiyo.SettingInvitationsOnly, config.InvitationsOnly, &prior.InvitationsOnly)
	}
	return u, diags
}

// linkedInSetup returns the setup call to make, if any: on create when the
// configuration has a linkedin block, and later when its login, country or
// password_wo_version changed. The password comes from the configuration
// (write-only values are never in plan or state).
func linkedInSetup(ctx context.Context, config, prior *agentModel) (*kakiyo.AgentSetup, diag.Diagnostics) {
	if !known(config.LinkedIn) {
		return nil, nil
	}
	var c linkedInModel
	diags := config.LinkedIn.As(ctx, &c, basetypes.ObjectAsOptions{})
	if diags.HasError() {
		return nil, diags
	}
	if prior != nil && known(prior.LinkedIn) {
		var p linkedInModel
		diags.Append(prior.LinkedIn.As(ctx, &p, basetypes.ObjectAsOptions{})...)
		if c.Login.Equal(p.Login) && c.Country.Equal(p.Country) && c.PasswordWOVersion.Equal(p.PasswordWOVersion) {
			return nil, diags
		}
	}
	return &kakiyo.AgentSetup{
		Login:    c.Login.ValueString(),
		Password: c.PasswordWO.ValueString(),
		Country:  c.Country.ValueString(),
	}, diags
}

// agentRecord is what the export before a delete keeps of an agent: what
// Kakiyo reported at the last refresh and the arguments Terraform sent.
// Never a secret: the LinkedIn password is write-only and not in state, and
// is left out here by construction.
type agentRecord struct {
	ID              *string           `json:"id"`
	Name            *string           `json:"name"`
	Status          *string           `json:"status"`
	Login           *string           `json:"login"`
	Country         *string           `json:"country"`
	Avatar          *string           `json:"avatar"`
	NextTask        *string           `json:"next_task"`
	Paused          *bool             `json:"paused"`
	WorkingHours    map[string]any    `json:"working_hours"`
	Usage           map[string]any    `json:"usage"`
	Alerts          []map[string]any  `json:"alerts"`
	Limits          map[string]any    `json:"limits"`
	SkipInNetwork   *bool             `json:"skip_in_network"`
	InvitationsOnly *bool             `json:"invitations_only"`
	LinkedIn        map[string]string `json:"linkedin,omitempty"`
}

func agentRecordOf(ctx context.Context, m *agentModel) agentRecord {
	r := agentRecord{
		ID: m.ID.ValueStringPointer(), Name: m.Name.ValueStringPointer(), Status: m.Status.ValueStringPointer(),
		Login: m.Login.ValueStringPointer(), Country: m.Country.ValueStringPointer(),
		Avatar: m.Avatar.ValueStringPointer(), NextTask: m.NextTask.ValueStringPointer(),
		Paused: m.Paused.ValueBoolPointer(), SkipInNetwork: m.SkipInNetwork.ValueBoolPointer(),
		InvitationsOnly: m.InvitationsOnly.ValueBoolPointer(),
		WorkingHours:    plainObject(m.WorkingHours), Usage: plainObject(m.Usage), Limits: plainObject(m.Limits),
	}
	for _, e := range m.Alerts.Elements() {
		if o, ok := e.(types.Object); ok {
			r.Alerts = append(r.Alerts, plainObject(o))
		}
	}
	if known(m.LinkedIn) {
		var l linkedInModel
		if !m.LinkedIn.As(ctx, &l, basetypes.ObjectAsOptions{}).HasError() {
			r.LinkedIn = map[string]string{"login": l.Login.ValueString(), "country": l.Country.ValueString()}
		}
	}
	return r
}

// plainObject turns a flat object of strings, numbers and bools into plain
// Go values for JSON; nil when the object is null or unknown.
func plainObject(o types.Object) map[string]any {
	if !known(o) {
		return nil
	}
	out := map[string]any{}
	for k, v := range o.Attributes() {
		switch x := v.(type) {
		case types.String:
			out[k] = x.ValueStringPointer()
		case types.Int64:
			out[k] = x.ValueInt64Pointer()
		case types.Float64:
			out[k] = x.ValueFloat64Pointer()
		case types.Bool:
			out[k] = x.ValueBoolPointer()
		}
	}
	return out
}

// newAgentReader serves the agent reads of one run: from one listing of
// GET /agents where many are read, by id otherwise (see walk.Reader). A
// listed agent whose item lacks part of an agent is read by id.
func newAgentReader(c *kakiyo.Client, mode string) *walk.Reader[kakiyo.Agent] {
	return walk.NewReader(mode, "agents", c.ListAgentPages, c.GetAgent,
		func(a *kakiyo.Agent) string { return a.ID },
		func(a *kakiyo.Agent) bool { return !a.Summary })
}

// newAgentCreateGuard resolves the lost answers of a run's POST /agents
// (see walk.CreateGuard) from the run's listings. A new agent is in status
// setup_needed; an item without status may be one too.
func newAgentCreateGuard(reader *walk.Reader[kakiyo.Agent], adopt bool) *walk.CreateGuard[kakiyo.Agent] {
	return walk.NewCreateGuard("agents", adopt, func(ctx context.Context, fresh bool) ([]*kakiyo.Agent, error) {
		if fresh {
			return reader.Fresh(ctx)
		}
		return reader.All(ctx)
	}, func(a *kakiyo.Agent) string { return a.ID },
		func(a *kakiyo.Agent) bool { return a.Status == "" || a.Status == kakiyo.StatusSetupNeeded })
}
