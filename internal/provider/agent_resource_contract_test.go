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
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// The delete contract at apply time: the plan saw an ended agent, but by
// the time of the DELETE its status has changed, and Kakiyo refuses with
// invalid_status under an HTTP status its docs do not fix. Whatever that
// status, the destroy fails naming the agent and its status, spends one
// DELETE, and keeps the agent in Kakiyo and in state.
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
						srv.SetAgentStatus(id, "ended")
						srv.OnRequest(statusAtDelete(srv, id, status))
						srv.ResetRequests()
					},
					Config:  config,
					Destroy: true,
					ExpectError: errorRe("Kakiyo agent not ended", `Kakiyo refused to delete agent "`+id+`"`,
						`its status is "`+status+`"`, "stays in the state",
						fmt.Sprintf("HTTP status: %d", code), "invalid_status", "Current status: "+status),
				}
			}
			// After a refusal: the plan's refresh, then one DELETE, and nothing else.
			afterRefusal := func() { assertRequests(t, srv, "GET /agents/"+id, "DELETE /agents/"+id) }

			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
				Steps: []resource.TestStep{
					{Config: config},
					refused("setup_needed"),
					withPreConfig(refused("running"), afterRefusal),
					withPreConfig(refused("paused"), afterRefusal),
					{
						PreConfig: func() {
							afterRefusal()
							srv.OnRequest(nil)
							if a, ok := srv.Agent(id); !ok || a.Status != "paused" {
								t.Errorf("agent after refused destroys: %+v, present %v", a, ok)
							}
						},
						// Still in state: the same configuration plans no change.
						Config:   config,
						PlanOnly: true,
					},
					{PreConfig: endAgents(t, srv, id), Config: config},
				},
			})
		})
	}
}

// statusAtDelete is a hook that gives the agent status when its DELETE
// arrives: the agent changed in Kakiyo between the plan and the apply.
func statusAtDelete(srv *kakiyotest.TestServer, id, status string) func(method, path string) {
	return func(method, path string) {
		if method == "DELETE" && path == "/agents/"+id {
			srv.SetAgentStatus(id, status)
		}
	}
}

// A destroy plan stops before anything is destroyed when an agent is not
// ended, using the status the plan's refresh just read: no DELETE at all,
// and the other resources stay too.
func TestAccAgentResource_destroyRefusedAtPlan(t *testing.T) {
	srv := kakiyotest.Start(t)
	ended := srv.AddAgent(kakiyotest.AgentSeed{Status: "ended"})
	running := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	config := providerBlock(srv) + fmt.Sprintf(`
import {
  to = kakiyo_agent.ended
  id = %q
}

import {
  to = kakiyo_agent.running
  id = %q
}

resource "kakiyo_agent" "ended" {}

resource "kakiyo_agent" "running" {}

resource "terraform_data" "other" {
  input = "kept"
}
`, ended, running)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ended, running),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				Destroy:   true,
				ExpectError: errorRe("Kakiyo agent not ended", `Terraform will not delete agent "`+running+`"`,
					`its status is "running"`, "Nothing was destroyed", "removed block", "terraform state rm"),
			},
			{
				PreConfig: func() {
					if n := srv.Count("DELETE", "*"); n != 0 {
						t.Errorf("the refused destroy plan sent %d DELETE requests", n)
					}
					if ids := srv.AgentIDs(); len(ids) != 2 {
						t.Errorf("agents in the double: %v", ids)
					}
				},
				// Both agents and terraform_data are still in state.
				Config:   config,
				PlanOnly: true,
			},
			{PreConfig: endAgents(t, srv, running), Config: config},
		},
	})
}

// deletion_protection refuses at plan time (destroy, or removal from the
// configuration) without any API call, and lets go once set to false.
func TestAccAgentResource_deletionProtection(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	protected := agentConfig(srv, `  deletion_protection = true`)
	unprotected := agentConfig(srv, `  deletion_protection = false`)
	wantErr := errorRe("Kakiyo agent deletion protection enabled", `agent "`+id+`"`, "Kakiyo was not called", "deletion_protection = false")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: protected,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
			},
			{
				// Ended: only the protection stands in the way.
				PreConfig: func() { srv.SetAgentStatus(id, "ended") },
				Config:    protected, Destroy: true, ExpectError: wantErr,
			},
			{Config: providerBlock(srv), ExpectError: wantErr},
			{
				PreConfig: func() {
					if n := srv.Count("DELETE", "*"); n != 0 {
						t.Errorf("%d DELETE requests despite deletion protection", n)
					}
					srv.ResetRequests()
				},
				Config: unprotected,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("ended")),
				},
				// Turning protection off is Terraform's business only: the
				// refresh, and no call to apply it.
				Check: expectRequests(srv, "GET /agents/"+id),
			},
			{PreConfig: srv.ResetRequests, Config: unprotected},
		},
	})
}

// Delete checks deletion_protection itself too: a tainted agent's
// replacement reaches Delete without a destroy plan.
func TestAccAgentResource_deletionProtectionOnReplace(t *testing.T) {
	srv := kakiyotest.Start(t)
	// removed blocks came with Terraform 1.7.
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, `
  deletion_protection = true
  limits = {
    messages_max = 50
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		CheckDestroy: func(*terraform.State) error {
			if n := srv.Count("DELETE", "*"); n != 0 {
				return fmt.Errorf("%d DELETE requests despite deletion protection", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("PUT", "/agents/"+id, kakiyotest.Fault{Status: 400, Times: 1,
						Body: `{"error":"validation_error","message":"limits.messagesMax is not allowed on your plan"}`})
				},
				Config:      config,
				ExpectError: errorRe("Kakiyo agent created but not configured", "HTTP status: 400", "not allowed on your plan"),
			},
			{
				Config:      config,
				ExpectError: errorRe("Kakiyo agent deletion protection enabled", `agent "`+id+`"`),
			},
			{
				// The documented way out: forget the agent without deleting it.
				Config: providerBlock(srv) + `
removed {
  from = kakiyo_agent.test

  lifecycle {
    destroy = false
  }
}
`,
				Check: func(st *terraform.State) error {
					if n := len(st.RootModule().Resources); n != 0 {
						return fmt.Errorf("%d resources left in state", n)
					}
					return nil
				},
			},
		},
	})
	if _, ok := srv.Agent(id); !ok {
		t.Error("the removed block deleted the agent from Kakiyo")
	}
}

// When the invalid_status body lacks currentStatus, one GET finds it.
func TestAccAgentResource_refusedDestroyWithoutCurrentStatus(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.SetAgentStatus(id, "ended") // at plan time
					srv.OnRequest(statusAtDelete(srv, id, "running"))
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
					assertRequests(t, srv, "GET /agents/"+id, "DELETE /agents/"+id, "GET /agents/"+id)
					srv.OnRequest(nil)
					endAgents(t, srv, id)()
				},
				Config: config,
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
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, second),
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
				// The agent is ended (the refresh records it), then vanishes
				// from Kakiyo; the test's final destroy runs without refresh,
				// so its DELETE meets not_found, which must count as deleted.
				PreConfig: func() { srv.SetAgentStatus(second, "ended") },
				Config:    config,
			},
			{
				PreConfig: func() {
					srv.RemoveAgent(second)
					srv.ResetRequests()
				},
				Config:             config,
				PlanOnly:           true,
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
				srv.ClearFaults()
				srv.InjectFault("DELETE", "/agents/"+id, kakiyotest.Fault{Status: status, Body: body})
			},
			Config:      config,
			Destroy:     true,
			ExpectError: errorRe(want...),
		}
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			// Ended from now on: only the injected faults stand in the way.
			withPreConfig(failing(403, `{"error":"forbidden","message":"You do not have access to this agent"}`,
				"No access to Kakiyo agent", `agent "`+id+`"`, "team has no access", "HTTP status: 403"),
				func() { srv.SetAgentStatus(id, "ended") }),
			failing(401, `{"error":"invalid_api_key","message":"Invalid API key"}`,
				"Kakiyo API key rejected", "KAKIYO_API_KEY"),
			failing(500, `{"error":"internal_error","message":"An internal error occurred"}`,
				"Kakiyo API error", `delete Kakiyo agent "`+id+`"`, "HTTP status: 500", "internal_error",
				"An internal error occurred", "Attempts: 6", "5 retries exhausted"),
			failing(502, "<html><body><h1>502 Bad Gateway</h1></body></html>",
				"Kakiyo API error", "HTTP status: 502", "not Kakiyo's JSON error format", "502 Bad Gateway", "Attempts: 6"),
			{
				PreConfig: func() {
					srv.ClearFaults()
					if _, ok := srv.Agent(id); !ok {
						t.Error("the agent is gone from the double after failed deletes")
					}
					srv.ResetRequests()
				},
				Config: config,
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
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:   func() { srv.SetAgentTeam(id, "team_other") },
				Config:      config,
				PlanOnly:    true,
				ExpectError: errorRe("No access to Kakiyo agent", `read Kakiyo agent "`+id+`"`, "team has no access", "forbidden"),
			},
			{
				PreConfig: func() {
					srv.SetAgentTeam(id, kakiyotest.DefaultTeam)
					endAgents(t, srv, id)()
				},
				Config: config,
			},
		},
	})
}
