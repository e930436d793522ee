package provider

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// agencySetup: a client workspace, one of the client's people invited, two
// agents assigned to it, a campaign each.
func agencySetup(srv *kakiyotest.TestServer, product, prompt string) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_workspace" "acme" {
  name = "Acme Corp"
}

resource "kakiyo_workspace_client" "jane" {
  workspace_id = kakiyo_workspace.acme.id
  email        = "jane@acme.example"
}

resource "kakiyo_agent" "sdr" {
  count = 2
}

resource "kakiyo_workspace_agent" "sdr" {
  count        = 2
  workspace_id = kakiyo_workspace.acme.id
  agent_id     = kakiyo_agent.sdr[count.index].id
}

resource "kakiyo_campaign" "outreach" {
  count      = 2
  name       = "Acme outreach ${count.index + 1}"
  agent_id   = kakiyo_agent.sdr[count.index].id
  product_id = %q
  prompt_id  = %q
  variables = {
    companyValue = "Acme ships on time"
  }
}
`, product, prompt)
}

// readsOfAgencySetup is what a refresh of agencySetup costs: the two agents
// and the two campaigns are read by id (two reads of a kind go by id, the
// run's reader's rule); the assignments' reads of their agents come once
// those are read, and get the same answers without a call; the workspace and
// its members share one GET /workspaces.
var readsOfAgencySetup = calls{"GET /agents/{id}": 2, "GET /workspaces": 1, "GET /analytics/campaigns/{id}": 2}

// A whole agency setup, applied and destroyed: one call per object (plus the
// run's one listing of agents before its creates), nothing read back; a
// plan with no change lists each kind once; the destroy pauses the campaigns
// (Kakiyo cannot delete them), unassigns the agents, removes the client,
// deletes the workspace and the ended agents.
func TestAccAgencySetup(t *testing.T) {
	srv := kakiyotest.Start(t)
	product := srv.AddProduct("Acme logistics", "Freight software")
	prompt := srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
	config := agencySetup(srv, product, prompt)
	ws := kakiyotest.WorkspaceID(1)
	agents := []string{kakiyotest.AgentID(1), kakiyotest.AgentID(2)}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := srv.WorkspaceCount(); n != 0 {
				return fmt.Errorf("%d workspaces left", n)
			}
			if ids := srv.AgentIDs(); len(ids) != 0 {
				return fmt.Errorf("agents left: %v", ids)
			}
			for i := 1; i <= 2; i++ {
				if c, ok := srv.Campaign(kakiyotest.CampaignID(i)); !ok || c.Status != "paused" {
					return fmt.Errorf("campaign %d after the destroy: %+v (present %v); want it paused", i, c, ok)
				}
			}
			// The destroy's refresh (see readsOfAgencySetup), then one call
			// per object: 2 pauses, 2 unassignments, 1 removal, 1 workspace,
			// 2 agents.
			return checkEndpoints(srv, calls{"GET /agents/{id}": 2, "GET /workspaces": 1, "GET /analytics/campaigns/{id}": 2,
				"POST /campaigns/{id}/pause": 2, "DELETE /workspaces/{id}/agents/{agentId}": 2,
				"DELETE /workspaces/{id}/clients": 1, "DELETE /workspaces/{id}": 1, "DELETE /agents/{id}": 2})
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("kakiyo_workspace.acme", tfjsonpath.New("client_team_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue("kakiyo_workspace_client.jane", tfjsonpath.New("portal_url"),
						knownvalue.StringExact("https://youragency.kakiyo.agency")),
					statecheck.ExpectKnownValue("kakiyo_workspace_client.jane", tfjsonpath.New("email_sent"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("kakiyo_workspace_client.jane", tfjsonpath.New("roles"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("member")})),
					// campaigns is 0 or 1: the agent's campaign may be made
					// before or after the assignment.
					statecheck.ExpectKnownValue("kakiyo_workspace_agent.sdr[0]", tfjsonpath.New("propagated"), knownvalue.ObjectExact(
						map[string]knownvalue.Check{"campaigns": knownvalue.NotNull(), "chats": knownvalue.Int64Exact(0), "prospects": knownvalue.Int64Exact(0)})),
					statecheck.ExpectKnownValue("kakiyo_campaign.outreach[1]", tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue("kakiyo_campaign.outreach[1]", tfjsonpath.New("paused"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("kakiyo_campaign.outreach[1]", tfjsonpath.New("qualification_automatic"), knownvalue.Int64Exact(70)),
				},
				Check: func(*terraform.State) error {
					w, ok := srv.Workspace(ws)
					if !ok || w.Name != "Acme Corp" || !slices.Equal(w.Agents, agents) || len(w.Clients) != 1 {
						return fmt.Errorf("workspace in Kakiyo: %+v", w)
					}
					c, _ := srv.Campaign(kakiyotest.CampaignID(1))
					if c.ProductID != product || c.PromptID != prompt || c.Variables["companyValue"] != "Acme ships on time" {
						return fmt.Errorf("campaign in Kakiyo: %+v", c)
					}
					return checkEndpoints(srv, calls{"GET /agents": 1, "POST /agents": 2, "POST /workspaces": 1,
						"POST /workspaces/{id}/invite": 1, "POST /workspaces/{id}/agents/{agentId}": 2, "POST /campaigns": 2})
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() { assertEndpoints(t, srv, readsOfAgencySetup) },
				Config:    config,
				Check:     func(*terraform.State) error { srv.ResetRequests(); return nil },
			},
			{
				PreConfig: func() { endAgents(t, srv, agents...)(); srv.ResetRequests() },
				Config:    config,
				Check:     func(*terraform.State) error { srv.ResetRequests(); return nil },
			},
		},
	})
}

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

// Errors of the members: an invitation of someone already in the workspace
// shows the import block; an address that is not one is refused at plan
// time; an agent that does not exist is named.
func TestAccWorkspaceMembers_errors(t *testing.T) {
	srv := kakiyotest.Start(t)
	ws := srv.AddWorkspace("Acme")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_workspace_client" "jane" {
  workspace_id = %q
  email        = "jane at acme"
}
`, ws),
				ExpectError: errorRe("Invalid e-mail address", `"jane at acme" is not an e-mail address`),
			},
			{
				Config: providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_workspace_agent" "ghost" {
  workspace_id = %q
  agent_id     = "agentdoesnotexist000"
}
`, ws),
				ExpectError: errorRe("Kakiyo API error", "assign agent agentdoesnotexist000", "HTTP status: 404", "Agent not found", "check both ids"),
			},
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/workspaces/"+ws+"/invite", kakiyotest.Fault{Status: http.StatusConflict, Times: 1,
						Body: `{"error":"conflict","message":"This person is already a member of the workspace"}`})
				},
				Config: providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_workspace_client" "jane" {
  workspace_id = %q
  email        = "jane@acme.example"
}
`, ws),
				ExpectError: errorRe("Already a member of the Kakiyo workspace", "import {", fmt.Sprintf(`id = "%s/jane@acme.example"`, ws)),
			},
		},
	})
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
