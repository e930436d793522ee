package provider

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
