package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// getState and setState make and read exactly what the framework's Get and
// Set do, for an agent with every kind of value: strings, nulls, nested
// objects, a list of objects, timeouts.
func TestModelValuesMatchTheFramework(t *testing.T) {
	ctx := context.Background()
	var sch resource.SchemaResponse
	NewAgentResource().Schema(ctx, resource.SchemaRequest{}, &sch)
	s := func(v string) *string { return &v }
	n := func(v int64) *int64 { return &v }
	tz := 1.5
	agent := &kakiyo.Agent{ID: "a1", Name: s("Jane"), Status: "running", Login: s("j@example.com"),
		Usage: &kakiyo.Usage{Invitations: n(3), Messages: n(4), WorkingHours: &kakiyo.WorkingHours{
			Days: s("1:1:1:1:1:0:0"), Start: s("09:00"), Stop: s("17:00"), Timezone: &tz}},
		Alerts: []kakiyo.Alert{{Type: s("linkedin"), Message: s("check")}, {Severity: s("high")}}}
	for name, fill := range map[string]func(*agentModel){
		"from the API": func(m *agentModel) { m.setFromAPI(ctx, agent) },
		"nulls":        func(*agentModel) {},
		"with settings": func(m *agentModel) {
			m.setFromAPI(ctx, &kakiyo.Agent{ID: "a2", Status: "paused"})
			m.SkipInNetwork, m.DeletionProtection = types.BoolValue(true), types.BoolValue(false)
		},
	} {
		t.Run(name, func(t *testing.T) {
			null := emptyObject(ctx, sch.Schema.Type())
			fw := tfsdk.State{Schema: sch.Schema, Raw: null}
			var start agentModel
			if d := fw.Get(ctx, &start); d.HasError() { // every attribute null, typed
				t.Fatal(d)
			}
			fill(&start)
			if d := fw.Set(ctx, &start); d.HasError() {
				t.Fatal(d)
			}
			ours := tfsdk.State{Schema: sch.Schema, Raw: null}
			if d := setState(ctx, &ours, &start); d.HasError() {
				t.Fatal(d)
			}
			if !ours.Raw.Equal(fw.Raw) {
				t.Fatalf("setState:\n%s\nState.Set:\n%s", ours.Raw, fw.Raw)
			}
			var got, want agentModel
			if d := getState(ctx, fw, &got); d.HasError() {
				t.Fatal(d)
			}
			if d := fw.Get(ctx, &want); d.HasError() {
				t.Fatal(d)
			}
			a, b := tfsdk.State{Schema: sch.Schema, Raw: null}, tfsdk.State{Schema: sch.Schema, Raw: null}
			a.Set(ctx, &got)
			b.Set(ctx, &want)
			if !a.Raw.Equal(b.Raw) || !a.Raw.Equal(fw.Raw) {
				t.Errorf("getState read:\n%s\nState.Get read:\n%s", a.Raw, b.Raw)
			}
		})
	}
}
