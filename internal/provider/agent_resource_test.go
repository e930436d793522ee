package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// A plain agent: create (one call), import, a destroy refused while the
// agent is setup_needed, then, once Kakiyo has ended it, a destroy that
// deletes it with one DELETE.
func TestAccAgentResource_lifecycle(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("paused"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("login"), knownvalue.Null()),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("avatar"), knownvalue.Null()),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("limits"), knownvalue.Null()),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("skip_in_network"), knownvalue.Null()),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"days": knownvalue.StringExact("1:1:1:1:1:0:0"), "start": knownvalue.StringExact("09:00"),
						"stop": knownvalue.StringExact("17:00"), "timezone": knownvalue.Float64Exact(0),
					})),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("usage").AtMapKey("invitations"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("alerts"), knownvalue.ListSizeExact(0)),
				},
				// The team's agents listed once before the run's creates (to
				// find an agent whose create answer would be lost), then POST
				// /agents, which answered with the whole agent; nothing was
				// configured: no PUT, no read-back.
				Check: expectRequests(srv, "GET /agents", "POST /agents"),
			},
			{
				ResourceName:      agentAddr,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
			{
				Config:      config,
				Destroy:     true,
				ExpectError: errorRe("Kakiyo agent not ended", `delete agent "`+id+`"`, `status is "setup_needed"`, "Kakiyo deletes only ended agents", "stays in Kakiyo and in the state", "lifecycle { destroy = false }", "removed block", "terraform state rm"),
			},
			{
				// The refused destroy kept the agent in Kakiyo and in state:
				// the same configuration plans no change.
				PreConfig: func() {
					if a, ok := srv.Agent(id); !ok || a.Status != "setup_needed" {
						t.Errorf("agent after refused destroy: %+v, present %v", a, ok)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: endAgents(t, srv, id),
				Config:    config,
			},
		},
	})
}

// Every documented constraint is checked at plan time, before any API call.
func TestAccAgentResource_validation(t *testing.T) {
	srv := kakiyotest.Start(t)
	step := func(body string, want ...string) resource.TestStep {
		return resource.TestStep{Config: agentConfig(srv, body), PlanOnly: true, ExpectError: errorRe(want...)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := srv.Count("*", "*"); n != 0 {
				return fmt.Errorf("validation made %d API calls", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			step(`working_hours = { days = "1:1:1:1:1" }`, "working_hours.days", "seven 0/1 flags"),
			step(`working_hours = { days = "1:1:1:1:1:0:2" }`, "working_hours.days", "seven 0/1 flags"),
			step(`working_hours = { start = "24:00" }`, "working_hours.start", "HH:MM"),
			step(`working_hours = { stop = "9:00" }`, "working_hours.stop", "HH:MM"),
			step(`working_hours = {}`, "Empty working_hours"),
			step(`limits = { invitations_min = 0 }`, "limits.invitations_min", "between 1 and 100"),
			step(`limits = { invitations_max = 101 }`, "limits.invitations_max", "between 2 and 100"),
			step(`limits = { messages_min = 501 }`, "limits.messages_min", "between 1 and 500"),
			step(`limits = { messages_max = 1 }`, "limits.messages_max", "between 2 and 500"),
			step(`limits = { invitations_min = 30, invitations_max = 20 }`, "Daily minimum above maximum", "invitations_min (30)", "invitations_max (20)"),
			step(`limits = { messages_min = 300, messages_max = 200 }`, "Daily minimum above maximum", "messages_min (300)"),
			step(`limits = {}`, "Empty limits"),
		},
	})
}

func TestAccAgentResource_importErrors(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := providerBlock(srv) + "\nresource \"kakiyo_agent\" \"test\" {}\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config, ResourceName: agentAddr, ImportState: true, ImportStateId: "agent_does_not_exist",
				ExpectError: errorRe("Cannot import non-existent remote object"),
			},
			{
				Config: config, ResourceName: agentAddr, ImportState: true, ImportStateId: "a/b",
				ExpectError: errorRe("Invalid Kakiyo agent id", `"a/b"`),
			},
		},
	})
}

// An agent set up in Kakiyo, adopted with an import block: every value the
// API returns lands in state, alerts included.
func TestAccAgentResource_importBlockMapsEverything(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := srv.AddAgent(kakiyotest.AgentSeed{Status: "running", Alerts: []kakiyotest.Alert{
		{Type: "auth", SubType: "2fa_required", Message: "Enter the code sent to your phone", Severity: "warning"},
	}})
	srv.SetAgentProfile(id, "Jane Doe", "jane@example.com", "FR", "https://example.com/jane.jpg")
	config := providerBlock(srv) + fmt.Sprintf(`
import {
  to = kakiyo_agent.test
  id = %q
}

resource "kakiyo_agent" "test" {}
`, id)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("running")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("paused"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("name"), knownvalue.StringExact("Jane Doe")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("login"), knownvalue.StringExact("jane@example.com")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("country"), knownvalue.StringExact("FR")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("avatar"), knownvalue.StringExact("https://example.com/jane.jpg")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("alerts"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"type": knownvalue.StringExact("auth"), "sub_type": knownvalue.StringExact("2fa_required"),
							"message": knownvalue.StringExact("Enter the code sent to your phone"), "severity": knownvalue.StringExact("warning"),
						}),
					})),
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}
