package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// Unit tests of the agent's pure logic: which PUT body a change needs,
// which values a plan leaves unknown and the apply fills, and when the
// LinkedIn account is connected again.

func whValue(days, start, stop string) types.Object {
	v := func(s string) types.String {
		switch s {
		case "":
			return types.StringNull()
		case "?":
			return types.StringUnknown()
		}
		return types.StringValue(s)
	}
	return types.ObjectValueMust(workingHoursAttrTypes, map[string]attr.Value{
		"days": v(days), "start": v(start), "stop": v(stop), "timezone": types.Float64Null(),
	})
}

func limitsValue(t *testing.T, invMax int64) types.Object {
	i := func(n int64) types.Int64 {
		if n == 0 {
			return types.Int64Null()
		}
		return types.Int64Value(n)
	}
	return types.ObjectValueMust(objType(t, agentResourceSchema(t), "limits"), map[string]attr.Value{
		"invitations_min": i(5), "invitations_max": i(invMax),
		"messages_min": types.Int64Null(), "messages_max": types.Int64Null(),
	})
}

// model returns an agent model with every value null, changed by f.
func model(t *testing.T, f func(m *agentModel)) *agentModel {
	s := agentResourceSchema(t)
	m := &agentModel{agentView: *nullView()}
	m.Limits = types.ObjectNull(objType(t, s, "limits"))
	m.LinkedIn = types.ObjectNull(objType(t, s, "linkedin"))
	if f != nil {
		f(m)
	}
	return m
}

func TestSettingsUpdate(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name          string
		config, prior func(m *agentModel)
		create        bool
		want          string // the PUT body, "" for none
	}{
		{name: "create with nothing configured", create: true, want: ""},
		{name: "create sends every configured section", create: true,
			config: func(m *agentModel) {
				m.WorkingHours = whValue("1:1:1:1:1:0:0", "", "")
				m.Limits = limitsValue(t, 15)
				m.SkipInNetwork = types.BoolValue(false)
			},
			want: `{"workingHours":{"days":"1:1:1:1:1:0:0"},"limits":{"invitationsMin":5,"invitationsMax":15},"settings":[{"key":"skipInNetwork","value":false}]}`},
		{name: "nothing changed",
			config: func(m *agentModel) {
				m.WorkingHours = whValue("1:1:1:1:1:0:0", "09:00", "")
				m.Limits = limitsValue(t, 15)
				m.InvitationsOnly = types.BoolValue(true)
			},
			prior: func(m *agentModel) {
				m.WorkingHours = whValue("1:1:1:1:1:0:0", "09:00", "17:00")
				m.Limits = limitsValue(t, 15)
				m.InvitationsOnly = types.BoolValue(true)
			}},
		{name: "a changed working hour sends the configured ones only",
			config: func(m *agentModel) { m.WorkingHours = whValue("", "08:00", "") },
			prior:  func(m *agentModel) { m.WorkingHours = whValue("1:1:1:1:1:0:0", "09:00", "17:00") },
			want:   `{"workingHours":{"start":"08:00"}}`},
		{name: "a value Kakiyo changed out of band is sent again",
			config: func(m *agentModel) { m.WorkingHours = whValue("1:1:1:1:1:0:0", "", "") },
			prior:  func(m *agentModel) { m.WorkingHours = whValue("1:1:1:1:1:1:1", "09:00", "17:00") },
			want:   `{"workingHours":{"days":"1:1:1:1:1:0:0"}}`},
		{name: "changed limits send the whole section",
			config: func(m *agentModel) { m.Limits = limitsValue(t, 20) },
			prior:  func(m *agentModel) { m.Limits = limitsValue(t, 15) },
			want:   `{"limits":{"invitationsMin":5,"invitationsMax":20}}`},
		{name: "limits removed from the configuration send nothing",
			prior: func(m *agentModel) { m.Limits = limitsValue(t, 15) }},
		{name: "one changed setting",
			config: func(m *agentModel) {
				m.SkipInNetwork = types.BoolValue(true)
				m.InvitationsOnly = types.BoolValue(false)
			},
			prior: func(m *agentModel) {
				m.SkipInNetwork = types.BoolValue(false)
				m.InvitationsOnly = types.BoolValue(false)
			},
			want: `{"settings":[{"key":"skipInNetwork","value":true}]}`},
		{name: "a setting left out is never sent",
			prior: func(m *agentModel) { m.SkipInNetwork = types.BoolValue(true) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var prior *agentModel
			if !tc.create {
				prior = model(t, tc.prior)
			}
			u, diags := settingsUpdate(ctx, model(t, tc.config), prior)
			if diags.HasError() {
				t.Fatal(diags)
			}
			got := ""
			if !u.IsEmpty() {
				b, _ := json.Marshal(u)
				got = string(b)
			}
			if got != tc.want {
				t.Errorf("PUT body\n got: %s\nwant: %s", got, tc.want)
			}
		})
	}
}

func TestFillUnknownFrom(t *testing.T) {
	ctx := context.Background()
	prior := model(t, func(m *agentModel) {
		m.ID, m.Status, m.Paused = types.StringValue("a1"), types.StringValue("running"), types.BoolValue(false)
		m.WorkingHours = whValue("1:1:1:1:1:0:0", "09:00", "17:00")
	}).agentView

	plan := model(t, func(m *agentModel) {
		m.ID = types.StringValue("a1")
		m.Status, m.Paused, m.Usage = types.StringUnknown(), types.BoolUnknown(), types.ObjectUnknown(usageAttrTypes)
		// Configured start; days and stop left out, so unknown in the plan.
		m.WorkingHours = whValue("?", "08:00", "?")
	}).agentView
	if d := plan.fillUnknownFrom(ctx, &prior); d.HasError() {
		t.Fatal(d)
	}
	if plan.Status.ValueString() != "running" || plan.Paused.ValueBool() || !plan.Usage.IsNull() {
		t.Errorf("unknowns not filled from the refresh: %+v", plan)
	}
	if !plan.WorkingHours.Equal(whValue("1:1:1:1:1:0:0", "08:00", "17:00")) {
		t.Errorf("working hours %v: the configured start must stay, the rest come from the refresh", plan.WorkingHours)
	}

	// A half-created agent: what is not known becomes null, never unknown.
	half := model(t, func(m *agentModel) {
		m.Status, m.Name = types.StringUnknown(), types.StringUnknown()
		m.WorkingHours = whValue("1:1:1:1:1:0:0", "?", "?")
	}).agentView
	if d := half.fillUnknownFrom(ctx, nullView()); d.HasError() {
		t.Fatal(d)
	}
	if !half.Status.IsNull() || !half.Name.IsNull() || !half.WorkingHours.Equal(whValue("1:1:1:1:1:0:0", "", "")) {
		t.Errorf("half-created agent: %+v", half)
	}
}

func TestLinkedInSetup(t *testing.T) {
	ctx := context.Background()
	s := agentResourceSchema(t)
	li := func(login, country string, version int64) types.Object {
		c := types.StringNull()
		if country != "" {
			c = types.StringValue(country)
		}
		return types.ObjectValueMust(objType(t, s, "linkedin"), map[string]attr.Value{
			"login": types.StringValue(login), "country": c,
			"password_wo": types.StringValue("s3cret"), "password_wo_version": types.Int64Value(version),
		})
	}
	with := func(o types.Object) *agentModel { return model(t, func(m *agentModel) { m.LinkedIn = o }) }
	cases := []struct {
		name          string
		config, prior *agentModel
		want          *kakiyo.AgentSetup
	}{
		{"no linkedin", model(t, nil), nil, nil},
		{"create", with(li("jane@example.com", "FR", 1)), nil,
			&kakiyo.AgentSetup{Login: "jane@example.com", Password: "s3cret", Country: "FR"}},
		{"unchanged", with(li("jane@example.com", "FR", 1)), with(li("jane@example.com", "FR", 1)), nil},
		{"new password version", with(li("jane@example.com", "FR", 2)), with(li("jane@example.com", "FR", 1)),
			&kakiyo.AgentSetup{Login: "jane@example.com", Password: "s3cret", Country: "FR"}},
		{"new login", with(li("joe@example.com", "", 1)), with(li("jane@example.com", "", 1)),
			&kakiyo.AgentSetup{Login: "joe@example.com", Password: "s3cret"}},
		{"added after create", with(li("jane@example.com", "", 1)), model(t, nil),
			&kakiyo.AgentSetup{Login: "jane@example.com", Password: "s3cret"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := linkedInSetup(ctx, tc.config, tc.prior)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Errorf("setup %+v, want %+v", got, tc.want)
			}
		})
	}
}
