package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Unit tests of the workspace's and the campaign's plan logic: what a plan
// says before anything happens (warnings, refusals), from the state alone.

type planCase struct {
	name        string
	state, plan tftypes.Value
	severity    diag.Severity // 0: no diagnostic
	summary     string
	details     []string
}

func runModifyPlan(t *testing.T, r resource.ResourceWithModifyPlan, cases []planCase) {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := resource.ModifyPlanRequest{
				State: tfsdk.State{Schema: sr.Schema, Raw: tc.state},
				Plan:  tfsdk.Plan{Schema: sr.Schema, Raw: tc.plan},
			}
			resp := resource.ModifyPlanResponse{Plan: req.Plan}
			r.ModifyPlan(ctx, req, &resp)
			if tc.severity == 0 {
				if len(resp.Diagnostics) != 0 {
					t.Errorf("diagnostics: %v", resp.Diagnostics)
				}
				return
			}
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("want one diagnostic, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Severity() != tc.severity || d.Summary() != tc.summary {
				t.Errorf("got %s %q, want %s %q", d.Severity(), d.Summary(), tc.severity, tc.summary)
			}
			for _, want := range tc.details {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail lacks %q:\n%s", want, d.Detail())
				}
			}
		})
	}
}

func TestWorkspaceModifyPlan(t *testing.T) {
	ctx := context.Background()
	r := &workspaceResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	ws := func(name string, protected bool) tftypes.Value {
		return objectOf(typ, map[string]tftypes.Value{"id": str("w1"), "name": str(name), "client_team_id": str("t1"),
			"created_at": str("2026-01-01"), "deletion_protection": tftypes.NewValue(tftypes.Bool, protected)})
	}
	none := tftypes.NewValue(typ, nil)
	runModifyPlan(t, r, []planCase{
		{name: "create", state: none, plan: ws("Acme", false)},
		{name: "no change", state: ws("Acme", false), plan: ws("Acme", false)},
		{name: "protection changed only", state: ws("Acme", false), plan: ws("Acme", true)},
		{name: "destroy", state: ws("Acme", false), plan: none, severity: diag.SeverityWarning,
			summary: "Deleting a Kakiyo workspace is irreversible",
			details: []string{`destroys workspace "w1" (Acme)`, "lose access", "every agent assigned to it is unassigned", "deletion_protection = true"}},
		{name: "rename", state: ws("Acme", false), plan: ws("Acme Corp", false), severity: diag.SeverityWarning,
			summary: "Deleting a Kakiyo workspace is irreversible", details: []string{"replaces (deletes, then creates again)"}},
		{name: "destroy, protected", state: ws("Acme", true), plan: none, severity: diag.SeverityError,
			summary: "Kakiyo workspace deletion protection enabled", details: []string{`workspace "w1"`, "Kakiyo was not called"}},
		{name: "rename, protected", state: ws("Acme", true), plan: ws("Acme Corp", true), severity: diag.SeverityError,
			summary: "Kakiyo workspace deletion protection enabled"},
	})
}

func TestCampaignModifyPlan(t *testing.T) {
	ctx := context.Background()
	r := &campaignResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	campaign := func(product string, paused bool) tftypes.Value {
		return objectOf(typ, map[string]tftypes.Value{"id": str("c1"), "name": str("Q4 push"), "agent_id": str("a1"),
			"product_id": str(product), "prompt_id": str("pr1"), "status": str(map[bool]string{true: "paused", false: "active"}[paused]),
			"paused": tftypes.NewValue(tftypes.Bool, paused)})
	}
	none := tftypes.NewValue(typ, nil)
	runModifyPlan(t, r, []planCase{
		{name: "create", state: none, plan: campaign("p1", false)},
		{name: "pause", state: campaign("p1", false), plan: campaign("p1", true)},
		{name: "destroy", state: campaign("p1", false), plan: none, severity: diag.SeverityWarning,
			summary: "Kakiyo campaigns cannot be deleted",
			details: []string{`Destroying kakiyo_campaign "c1" (Q4 push) pauses it`, "stays in Kakiyo, paused"}},
		{name: "new product", state: campaign("p1", false), plan: campaign("p2", false), severity: diag.SeverityWarning,
			summary: "Replacing a Kakiyo campaign leaves the old one paused", details: []string{`replaces campaign "c1"`}},
	})
}

// At apply time too, a protected workspace is not deleted, and Kakiyo is not
// called (the resource has no client here: a call would panic).
func TestWorkspaceDeleteRefusesWhenProtected(t *testing.T) {
	ctx := context.Background()
	r := &workspaceResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	state := tfsdk.State{Schema: sr.Schema, Raw: objectOf(typ, map[string]tftypes.Value{"id": str("w1"), "name": str("Acme"),
		"deletion_protection": tftypes.NewValue(tftypes.Bool, true)})}
	resp := resource.DeleteResponse{State: state}
	r.Delete(ctx, resource.DeleteRequest{State: state}, &resp)
	if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != "Kakiyo workspace deletion protection enabled" {
		t.Errorf("diagnostics: %v", resp.Diagnostics)
	}
}
