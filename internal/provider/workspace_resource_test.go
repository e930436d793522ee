package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// kakiyo_workspace: import, out-of-band deletion (the workspace, its
// client and its assignment are made again), deletion_protection at plan
// time, a rename that replaces.
func TestAccWorkspaceResource_lifecycle(t *testing.T) {
	srv := kakiyotest.Start(t)
	agent := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	config := func(name string, protected bool) string {
		return providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_workspace" "acme" {
  name                = %q
  deletion_protection = %t
}

resource "kakiyo_workspace_client" "jane" {
  workspace_id = kakiyo_workspace.acme.id
  email        = "jane@acme.example"
  roles        = ["member", "viewer"]
  redirect_url = "https://portal.agency.example/welcome"
}

resource "kakiyo_workspace_agent" "sdr" {
  workspace_id = kakiyo_workspace.acme.id
  agent_id     = %q
}
`, name, protected, agent)
	}
	ws1, ws2, ws3 := kakiyotest.WorkspaceID(1), kakiyotest.WorkspaceID(2), kakiyotest.WorkspaceID(3)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := srv.WorkspaceCount(); n != 0 {
				return fmt.Errorf("%d workspaces left", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config("Acme", false),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("kakiyo_workspace.acme", "id", ws1),
					resource.TestCheckResourceAttr("kakiyo_workspace_client.jane", "id", ws1+"/jane@acme.example"),
					resource.TestCheckResourceAttr("kakiyo_workspace_agent.sdr", "id", ws1+"/"+agent),
					func(*terraform.State) error {
						w, _ := srv.Workspace(ws1)
						if !slices.Equal(w.Clients["jane@acme.example"], []string{"member", "viewer"}) {
							return fmt.Errorf("workspace %+v", w)
						}
						return nil
					}),
			},
			{ResourceName: "kakiyo_workspace.acme", ImportState: true, ImportStateId: ws1, ImportStateVerify: true},
			{ResourceName: "kakiyo_workspace_agent.sdr", ImportState: true, ImportStateId: ws1 + "/" + agent,
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"propagated"}},
			{ResourceName: "kakiyo_workspace_client.jane", ImportState: true, ImportStateId: ws1 + "/jane@acme.example",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"membership_id", "user_id", "portal_url", "email_sent", "roles", "redirect_url"}},
			{
				// Deleted in the dashboard: all three are made again.
				PreConfig: func() { srv.DeleteWorkspaceOutOfBand(ws1) },
				Config:    config("Acme", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("kakiyo_workspace.acme", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("kakiyo_workspace_client.jane", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("kakiyo_workspace_agent.sdr", plancheck.ResourceActionCreate),
					},
				},
				Check: func(*terraform.State) error {
					if w, ok := srv.Workspace(ws2); !ok || len(w.Agents) != 1 || len(w.Clients) != 1 {
						return fmt.Errorf("new workspace %+v", w)
					}
					return nil
				},
			},
			{
				Config:      config("Acme Corp", true),
				ExpectError: errorRe("Kakiyo workspace deletion protection enabled", ws2, "Kakiyo was not called"),
			},
			{
				// Protection off first (an update that calls nothing)...
				Config: config("Acme", false),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("kakiyo_workspace.acme", plancheck.ResourceActionUpdate)},
				},
			},
			{
				// ...then the rename replaces it.
				Config: config("Acme Corporation", false),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("kakiyo_workspace.acme", plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: resource.TestCheckResourceAttr("kakiyo_workspace.acme", "id", ws3),
			},
		},
	})
}

// Without Kakiyo's Agency plan, the error names the plan, whatever Kakiyo
// answers (403, or 402), and nothing is created.
func TestAccWorkspaceResource_agencyPlan(t *testing.T) {
	for _, status := range []int{http.StatusForbidden, http.StatusPaymentRequired} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetAgencyPlan("", false, status)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerBlock(srv) + `
resource "kakiyo_workspace" "acme" {
  name = "Acme"
}
`,
					ExpectError: errorRe("Kakiyo Agency plan required", "Client workspaces", "need Kakiyo's Agency plan",
						fmt.Sprintf("HTTP status: %d", status), "Upgrade the team to the Agency plan"),
				}},
			})
		})
	}
}

// Identity (Terraform 1.12 and later): import blocks may name a workspace by
// id, an assignment by workspace and agent, a membership by workspace and
// e-mail.
func TestAccWorkspace_identity(t *testing.T) {
	srv := kakiyotest.Start(t)
	ws := srv.AddWorkspace("Acme")
	agent := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`
import {
  to       = kakiyo_workspace.acme
  identity = { id = %[1]q }
}

resource "kakiyo_workspace" "acme" {
  name = "Acme"
}

import {
  to       = kakiyo_workspace_agent.sdr
  identity = { workspace_id = %[1]q, agent_id = %[2]q }
}

resource "kakiyo_workspace_agent" "sdr" {
  workspace_id = kakiyo_workspace.acme.id
  agent_id     = %[2]q
}
`, ws, agent),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity("kakiyo_workspace.acme", identityOf(ws)),
				statecheck.ExpectIdentity("kakiyo_workspace_agent.sdr", map[string]knownvalue.Check{
					"workspace_id": knownvalue.StringExact(ws), "agent_id": knownvalue.StringExact(agent)}),
			},
		}},
	})
}

func TestWorkspaceModifyPlan(t *testing.T) {
	ctx := context.Background()
	r := &workspaceResource{}
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
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

// At apply time too, a protected workspace is not deleted, and Kakiyo is not
// called (the resource has no client here: a call would panic).
func TestWorkspaceDeleteRefusesWhenProtected(t *testing.T) {
	ctx := context.Background()
	r := &workspaceResource{}
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	state := tfsdk.State{Schema: sr.Schema, Raw: objectOf(typ, map[string]tftypes.Value{"id": str("w1"), "name": str("Acme"),
		"deletion_protection": tftypes.NewValue(tftypes.Bool, true)})}
	resp := fwresource.DeleteResponse{State: state}
	r.Delete(ctx, fwresource.DeleteRequest{State: state}, &resp)
	if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != "Kakiyo workspace deletion protection enabled" {
		t.Errorf("diagnostics: %v", resp.Diagnostics)
	}
}
