package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// The delete contract: Kakiyo refuses to delete an agent that is not ended,
// with invalid_status under an HTTP status its docs do not fix. Whatever
// that status, the destroy fails naming the agent and its status, spends
// one DELETE, and keeps the agent in Kakiyo and in state.
func TestAccAgentResource_refusedDestroy(t *testing.T) {
	for _, code := range []int{http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity} {
		t.Run(fmt.Sprintf("HTTP%d", code), func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetInvalidStatusHTTP(code)
			id := kakiyotest.AgentID(1)
			config := agentConfig(srv, ``)

			refused := func(status string) resource.TestStep {
				return resource.TestStep{
					PreConfig: func() {
						srv.SetStatus(id, status)
						srv.ResetRequests()
					},
					Config:  config,
					Destroy: true,
					ExpectError: errorRe("Kakiyo agent not ended", `agent "`+id+`"`, `its status is "`+status+`"`,
						fmt.Sprintf("HTTP status: %d", code), "Current status: "+status),
				}
			}
			// After a refusal: the refresh, then one DELETE, and nothing else.
			afterRefusal := func() { checkRequests(t, srv, "GET /agents/"+id, "DELETE /agents/"+id) }

			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkDestroyedWithOneDelete(t, srv, id),
				Steps: []resource.TestStep{
					{Config: config},
					refused("setup_needed"),
					withPreConfig(refused("running"), afterRefusal),
					withPreConfig(refused("paused"), afterRefusal),
					{
						PreConfig: func() {
							afterRefusal()
							if a, ok := srv.Agent(id); !ok || a.Status != "paused" {
								t.Errorf("agent after refused destroys: %+v, present %v", a, ok)
							}
						},
						// Still in state: the same configuration plans no change.
						Config:   config,
						PlanOnly: true,
					},
					{PreConfig: endAgents(t, srv, id), Config: config, Destroy: true},
				},
			})
		})
	}
}

// withPreConfig runs before, then the step's own PreConfig.
func withPreConfig(step resource.TestStep, before func()) resource.TestStep {
	own := step.PreConfig
	step.PreConfig = func() {
		before()
		if own != nil {
			own()
		}
	}
	return step
}

// When the invalid_status body lacks currentStatus, one GET finds it.
func TestAccAgentResource_refusedDestroyWithoutCurrentStatus(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(t, srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.SetStatus(id, "running")
					srv.InjectFault("DELETE", "/agents/"+id, kakiyotest.Fault{Status: http.StatusConflict, Times: 1,
						Body: `{"error":"invalid_status","message":"Agent can only be deleted when status is ended"}`})
					srv.ResetRequests()
				},
				Config:      config,
				Destroy:     true,
				ExpectError: errorRe("Kakiyo agent not ended", `agent "`+id+`"`, `its status is "running"`, "HTTP status: 409"),
			},
			{
				PreConfig: func() {
					checkRequests(t, srv, "GET /agents/"+id, "DELETE /agents/"+id, "GET /agents/"+id)
					endAgents(t, srv, id)()
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}

// An agent deleted outside Terraform: the next plan re-creates it; and an
// agent that vanishes between refresh and delete counts as deleted.
func TestAccAgentResource_disappears(t *testing.T) {
	srv := kakiyotest.Start(t)
	first, second := kakiyotest.AgentID(1), kakiyotest.AgentID(2)
	config := agentConfig(srv, ``)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(t, srv, second),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { srv.RemoveAgent(first) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("id"), knownvalue.StringExact(second)),
				},
			},
			{
				// After this step the agent vanishes from Kakiyo; the test's
				// final destroy runs without refresh, so its DELETE meets
				// not_found, which must count as deleted.
				Config: config,
				Check: func(*terraform.State) error {
					srv.RemoveAgent(second)
					srv.ResetRequests()
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Errors other than invalid_status on delete: each is explained, and the
// agent stays in state (the last, clean destroy still deletes it).
func TestAccAgentResource_deleteErrors(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)
	failing := func(status int, body string, want ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				srv.InjectFault("DELETE", "/agents/"+id, kakiyotest.Fault{Status: status, Body: body, Times: 1})
			},
			Config:      config,
			Destroy:     true,
			ExpectError: errorRe(want...),
		}
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(t, srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				// Ended from the start: only the injected faults stand in the way.
				Check: func(*terraform.State) error { srv.SetStatus(id, "ended"); return nil },
			},
			failing(403, `{"error":"forbidden","message":"You do not have access to this agent"}`,
				"No access to Kakiyo agent", `agent "`+id+`"`, "team has no access", "HTTP status: 403"),
			failing(401, `{"error":"invalid_api_key","message":"Invalid API key"}`,
				"Kakiyo API key rejected", "KAKIYO_API_KEY"),
			failing(500, `{"error":"internal_error","message":"An internal error occurred"}`,
				"Kakiyo API error", `delete Kakiyo agent "`+id+`"`, "HTTP status: 500", "internal_error", "An internal error occurred"),
			failing(502, "<html><body><h1>502 Bad Gateway</h1></body></html>",
				"Kakiyo API error", "HTTP status: 502", "not Kakiyo's JSON error format", "502 Bad Gateway"),
			{
				PreConfig: func() {
					if _, ok := srv.Agent(id); !ok {
						t.Error("the agent is gone from the double after failed deletes")
					}
					srv.ResetRequests()
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}

// A team without access to the agent: the refresh fails with a clear error.
func TestAccAgentResource_forbiddenRead(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(t, srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:   func() { srv.SetTeam(id, "team_other") },
				Config:      config,
				PlanOnly:    true,
				ExpectError: errorRe("No access to Kakiyo agent", `read Kakiyo agent "`+id+`"`, "team has no access", "forbidden"),
			},
			{
				PreConfig: func() {
					srv.SetTeam(id, kakiyotest.DefaultTeam)
					endAgents(t, srv, id)()
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}
