package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
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
	SkipInNetwork   types.Bool     `tfsdk:"skip_in_network"`
	InvitationsOnly types.Bool     `tfsdk:"invitations_only"`
	DeletionProtect types.Bool     `tfsdk:"deletion_protection"`
	LinkedIn        types.Object   `tfsdk:"linkedin"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
	Limits          types.Object   `tfsdk:"limits"`
}

type workingHoursModel struct {
	Days     types.String  `tfsdk:"days"`
	Start    types.String  `tfsdk:"start"`
	Stop     types.String  `tfsdk:"stop"`
	Timezone types.Float64 `tfsdk:"timezone"`
}

type linkedInModel struct {
	Login           types.String `tfsdk:"login"`
	Country         types.String `tfsdk:"country"`
	PasswordWO      types.String `tfsdk:"password_wo"`
	PasswordVersion types.Int64  `tfsdk:"password_wo_version"`
}

type limitsModel struct {
	InvitationsMin types.Int64 `tfsdk:"invitations_min"`
	InvitationsMax types.Int64 `tfsdk:"invitations_max"`
	MessagesMin    types.Int64 `tfsdk:"messages_min"`
	MessagesMax    types.Int64 `tfsdk:"messages_max"`
}

var (
	workingHoursAttrTypes = map[string]attr.Type{
		"days": types.StringType, "start": types.StringType, "stop": types.StringType, "timezone": types.Float64Type,
	}
	linkedInAttrTypes = map[string]attr.Type{
		"login": types.StringType, "country": types.StringType,
		"password_wo": types.StringType, "password_wo_version": types.Int64Type,
	}
	usageAttrTypes = map[string]attr.Type{
		"invitations": types.Int64Type, "invitations_daily": types.Int64Type,
		"messages": types.Int64Type, "messages_daily": types.Int64Type,
		"next_invitation": types.StringType, "next_message": types.StringType,
	}
	alertAttrTypes = map[string]attr.Type{
		"type": types.StringType, "sub_type": types.StringType, "message": types.StringType, "severity": types.StringType,
	}
)

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
func (m *agentView) fillUnknownFrom(prior *agentView) {
	str := func(v *types.String, p types.String) {
		if v.IsUnknown() {
			*v = p
		}
	}
	str(&m.ID, prior.ID)
	str(&m.Name, prior.Name)
	str(&m.Status, prior.Status)
	str(&m.Login, prior.Login)
	str(&m.Country, prior.Country)
	str(&m.Avatar, prior.Avatar)
	str(&m.NextTask, prior.NextTask)
	if m.Paused.IsUnknown() {
		m.Paused = prior.Paused
	}
	if m.Usage.IsUnknown() {
		m.Usage = prior.Usage
	}
	if m.Alerts.IsUnknown() {
		m.Alerts = prior.Alerts
	}
	switch {
	case m.WorkingHours.IsUnknown():
		m.WorkingHours = prior.WorkingHours
	case !m.WorkingHours.IsNull():
		attrs := m.WorkingHours.Attributes()
		var before map[string]attr.Value
		if known(prior.WorkingHours) {
			before = prior.WorkingHours.Attributes()
		}
		for k, v := range attrs {
			if v.IsUnknown() {
				if p, ok := before[k]; ok {
					attrs[k] = p
				} else {
					attrs[k] = nullOf(workingHoursAttrTypes[k])
				}
			}
		}
		m.WorkingHours = types.ObjectValueMust(workingHoursAttrTypes, attrs)
	}
}

// setFromAPI copies what GET /agents/{id} says into the resource's model.
// The arguments that the API does not return (limits, skip_in_network,
// invitations_only) are left as they are: their configured values are kept.
func (m *agentModel) setFromAPI(a *kakiyo.Agent) diag.Diagnostics {
	diags := m.agentView.setFromAPI(a)
	if known(m.LinkedIn) {
		// The LinkedIn account Kakiyo has now: a change made outside
		// Terraform shows as drift on the configured values.
		attrs := m.LinkedIn.Attributes()
		if a.Login != nil {
			attrs["login"] = types.StringValue(*a.Login)
		}
		if a.Country != nil && known(attrs["country"]) {
			attrs["country"] = types.StringValue(*a.Country)
		}
		m.LinkedIn = types.ObjectValueMust(linkedInAttrTypes, attrs)
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

	if wh, ok, d := workingHoursValue(a); ok {
		diags.Append(d...)
		m.WorkingHours = wh
	} else if m.WorkingHours.IsUnknown() {
		// Not returned and not known from before: nothing to show.
		m.WorkingHours = types.ObjectNull(workingHoursAttrTypes)
	}
	// Otherwise the API left working hours out: keep what was known.

	usage, d := usageValue(a)
	diags.Append(d...)
	m.Usage = usage
	alerts, d := alertsValue(a)
	diags.Append(d...)
	m.Alerts = alerts
	return diags
}

// The conversions below turn what GET /agents/{id} says into Terraform
// values; the resource and the data sources share them.

// workingHoursValue reports ok=false when the API did not return complete
// working hours.
func workingHoursValue(a *kakiyo.Agent) (types.Object, bool, diag.Diagnostics) {
	if a.Usage == nil || a.Usage.WorkingHours == nil {
		return types.ObjectNull(workingHoursAttrTypes), false, nil
	}
	wh := a.Usage.WorkingHours
	if wh.Days == nil || wh.Start == nil || wh.Stop == nil {
		return types.ObjectNull(workingHoursAttrTypes), false, nil
	}
	obj, d := types.ObjectValue(workingHoursAttrTypes, map[string]attr.Value{
		"days":     types.StringPointerValue(wh.Days),
		"start":    types.StringPointerValue(wh.Start),
		"stop":     types.StringPointerValue(wh.Stop),
		"timezone": types.Float64PointerValue(wh.Timezone),
	})
	return obj, true, d
}

func usageValue(a *kakiyo.Agent) (types.Object, diag.Diagnostics) {
	if a.Usage == nil {
		return types.ObjectNull(usageAttrTypes), nil
	}
	u := a.Usage
	return types.ObjectValue(usageAttrTypes, map[string]attr.Value{
		"invitations":       types.Int64PointerValue(u.Invitations),
		"invitations_daily": types.Int64PointerValue(u.InvitationsDaily),
		"messages":          types.Int64PointerValue(u.Messages),
		"messages_daily":    types.Int64PointerValue(u.MessagesDaily),
		"next_invitation":   types.StringPointerValue(u.NextInvitation),
		"next_message":      types.StringPointerValue(u.NextMessage),
	})
}

// alertsValue is never null: no alerts is an empty list.
func alertsValue(a *kakiyo.Agent) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	alerts := make([]attr.Value, 0, len(a.Alerts))
	for _, al := range a.Alerts {
		obj, d := types.ObjectValue(alertAttrTypes, map[string]attr.Value{
			"type":     types.StringPointerValue(al.Type),
			"sub_type": types.StringPointerValue(al.SubType),
			"message":  types.StringPointerValue(al.Message),
			"severity": types.StringPointerValue(al.Severity),
		})
		diags.Append(d...)
		alerts = append(alerts, obj)
	}
	list, d := types.ListValue(types.ObjectType{AttrTypes: alertAttrTypes}, alerts)
	diags.Append(d...)
	return list, diags
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
		if plannedV.IsNull() || plannedV.IsUnknown() {
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

func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

func nullOf(t attr.Type) attr.Value {
	if t == types.Float64Type {
		return types.Float64Null()
	}
	return types.StringNull()
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
		if c.Login.Equal(p.Login) && c.Country.Equal(p.Country) && c.PasswordVersion.Equal(p.PasswordVersion) {
			return nil, diags
		}
	}
	return &kakiyo.AgentSetup{
		Login:    c.Login.ValueString(),
		Password: c.PasswordWO.ValueString(),
		Country:  c.Country.ValueString(),
	}, diags
}
