package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Unit tests of kakiyo_agent's plan logic: the destroy refusals, made from
// the state alone, and the profile values a LinkedIn change makes unknown.
func TestAgentModifyPlan(t *testing.T) {
	ctx := context.Background()
	s := agentResourceSchema(t)
	typ := s.Type().TerraformType(ctx)
	liType := attrType(t, typ, "linkedin")
	linkedin := func(login string, version int64) tftypes.Value {
		return objectOf(liType, map[string]tftypes.Value{
			"login": str(login), "password_wo_version": tftypes.NewValue(tftypes.Number, version),
		})
	}
	agent := func(status string, protected bool, extra map[string]tftypes.Value) tftypes.Value {
		vals := map[string]tftypes.Value{
			"id": str("a1"), "status": str(status), "login": str("jane@example.com"), "name": str("Jane"),
			"deletion_protection": tftypes.NewValue(tftypes.Bool, protected),
		}
		if status == "" {
			vals["status"] = tftypes.NewValue(tftypes.String, nil)
		}
		for k, v := range extra {
			vals[k] = v
		}
		return objectOf(typ, vals)
	}
	none := tftypes.NewValue(typ, nil)

	cases := []struct {
		name        string
		state, plan tftypes.Value
		summary     string
		details     []string
		unknown     []string // attributes the plan must leave unknown
	}{
		{name: "create", state: none, plan: agent("", false, nil)},
		{name: "destroy of an ended agent", state: agent("ended", false, nil), plan: none},
		{name: "destroy of a running agent", state: agent("running", false, nil), plan: none,
			summary: "Kakiyo agent not ended",
			details: []string{`delete agent "a1"`, `its status is "running" (as of the last refresh)`, "removed {", "terraform state rm"}},
		{name: "destroy of a protected agent, ended or not", state: agent("ended", true, nil), plan: none,
			summary: "Kakiyo agent deletion protection enabled", details: []string{`agent "a1"`, "Kakiyo was not called"}},
		{name: "destroy of an agent whose status is not known yet", state: agent("", false, nil), plan: none},
		{name: "update without LinkedIn change",
			state: agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 1)}),
			plan:  agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 1)})},
		{name: "update that connects the account again",
			state:   agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 1)}),
			plan:    agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 2)}),
			unknown: []string{"login", "country", "name", "avatar"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := resource.ModifyPlanRequest{
				State:  tfsdk.State{Schema: s, Raw: tc.state},
				Plan:   tfsdk.Plan{Schema: s, Raw: tc.plan},
				Config: tfsdk.Config{Schema: s, Raw: tc.plan},
			}
			resp := resource.ModifyPlanResponse{Plan: req.Plan}
			(&agentResource{}).ModifyPlan(ctx, req, &resp)
			wantDiag(t, resp.Diagnostics, tc.summary, tc.details...)
			for _, name := range []string{"login", "name"} {
				var v types.String
				resp.Plan.GetAttribute(ctx, path.Root(name), &v)
				wantUnknown := false
				for _, u := range tc.unknown {
					wantUnknown = wantUnknown || u == name
				}
				if !tc.plan.IsNull() && v.IsUnknown() != wantUnknown {
					t.Errorf("%s unknown = %v, want %v", name, v.IsUnknown(), wantUnknown)
				}
			}
		})
	}
}
