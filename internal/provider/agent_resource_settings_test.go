package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// Create with every argument, then change each section alone and check that
// only that section is sent; drift on working hours; pause and resume.
func TestAccAgentResource_settings(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	path := "/agents/" + id
	body := func(start, limits, skip, paused string) string {
		return `
  paused           = ` + paused + `
  skip_in_network  = ` + skip + `
  invitations_only = false
  working_hours = {
    days  = "1:1:1:1:1:1:0"
    start = "` + start + `"
    stop  = "18:00"
  }
  limits = {` + limits + `}
`
	}
	limits1 := "\n    invitations_min = 5\n    invitations_max = 20\n    messages_min = 10\n  "
	limits2 := limits1 + "  messages_max = 40\n  "
	created := agentConfig(srv, body("08:30", limits1, "true", "true"))
	startChanged := agentConfig(srv, body("07:00", limits1, "true", "true"))
	limitsChanged := agentConfig(srv, body("07:00", limits2, "true", "true"))
	skipChanged := agentConfig(srv, body("07:00", limits2, "false", "true"))
	resumed := agentConfig(srv, body("07:00", limits2, "false", "false"))
	noWorkingHours := agentConfig(srv, `
  paused           = false
  skip_in_network  = false
  invitations_only = false
  limits = {`+limits2+`}
`)
	wh := func(days, start, stop string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"days": knownvalue.StringExact(days), "start": knownvalue.StringExact(start),
			"stop": knownvalue.StringExact(stop), "timezone": knownvalue.Float64Exact(0),
		})
	}

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("paused")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("paused"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours"), wh("1:1:1:1:1:1:0", "08:30", "18:00")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("limits"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"invitations_min": knownvalue.Int64Exact(5), "invitations_max": knownvalue.Int64Exact(20),
						"messages_min": knownvalue.Int64Exact(10), "messages_max": knownvalue.Null(),
					})),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("skip_in_network"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("invitations_only"), knownvalue.Bool(false)),
				},
				Check: func(*terraform.State) error {
					checkRequests(t, srv, "POST /agents", "PUT "+path, "POST "+path+"/pause", "GET "+path)
					// messages_max was not configured, so it is not sent.
					checkPutBody(t, srv, id, `{
						"workingHours": {"days": "1:1:1:1:1:1:0", "start": "08:30", "stop": "18:00"},
						"limits": {"invitationsMin": 5, "invitationsMax": 20, "messagesMin": 10},
						"settings": [{"key": "skipInNetwork", "value": true}, {"key": "invitationsOnly", "value": false}]
					}`)
					a, _ := srv.Agent(id)
					if a.Status != "paused" || a.Limits["invitationsMax"] != 20 || !a.Settings["skipInNetwork"] || a.Start != "08:30" {
						t.Errorf("agent in the double: %+v", a)
					}
					return nil
				},
			},
			{
				// Limits and the two settings cannot be read back.
				ResourceName:            agentAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"limits", "skip_in_network", "invitations_only"},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    startChanged,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					checkPutBody(t, srv, id, `{"workingHours": {"days": "1:1:1:1:1:1:0", "start": "07:00", "stop": "18:00"}}`)
					// The refresh and the PUT: a PUT changes only what it sends,
					// so no read-back is paid for.
					checkRequests(t, srv, "GET "+path, "PUT "+path)
					return nil
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    limitsChanged,
				Check: func(*terraform.State) error {
					checkPutBody(t, srv, id, `{"limits": {"invitationsMin": 5, "invitationsMax": 20, "messagesMin": 10, "messagesMax": 40}}`)
					return nil
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    skipChanged,
				Check: func(*terraform.State) error {
					checkPutBody(t, srv, id, `{"settings": [{"key": "skipInNetwork", "value": false}]}`)
					return nil
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    resumed,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("paused"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
				},
				Check: func(*terraform.State) error {
					// The refresh, the resume, the read-back: no PUT.
					checkRequests(t, srv, "GET "+path, "POST "+path+"/resume", "GET "+path)
					return nil
				},
			},
			{
				// Working hours changed in Kakiyo: the plan shows the drift and
				// the apply puts the configured values back.
				PreConfig: func() { srv.SetAgentWorkingHours(id, "0:0:0:0:0:1:1", "10:00", "12:00") },
				Config:    resumed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours").AtMapKey("days"), knownvalue.StringExact("1:1:1:1:1:1:0")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours"), wh("1:1:1:1:1:1:0", "07:00", "18:00")),
				},
			},
			{
				// Paused in Kakiyo while the configuration says false: drift.
				PreConfig: func() { srv.SetAgentStatus(id, "paused") },
				Config:    resumed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(agentAddr, tfjsonpath.New("paused"), knownvalue.Bool(false)),
					},
				},
			},
			{
				// Leaving working_hours out stops managing them: no change,
				// and the values Kakiyo has stay visible.
				Config: noWorkingHours,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours"), wh("1:1:1:1:1:1:0", "07:00", "18:00")),
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: noWorkingHours, Destroy: true},
		},
	})
}

// Only the values set in working_hours are sent; the others keep Kakiyo's.
func TestAccAgentResource_partialWorkingHours(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, `
  working_hours = {
    days = "0:1:1:1:1:1:0"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours").AtMapKey("start"), knownvalue.StringExact("09:00")),
				},
				Check: func(*terraform.State) error {
					checkPutBody(t, srv, id, `{"workingHours": {"days": "0:1:1:1:1:1:0"}}`)
					return nil
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: config, Destroy: true},
		},
	})
}

// POST /agents's answer is not documented: a full agent saves the read-back,
// an id-only answer needs it, a wrapped agent is understood.
func TestAccAgentResource_createResponseShapes(t *testing.T) {
	cases := map[string]struct {
		shape kakiyotest.CreateResponse
		calls []string
	}{
		"id_and_message": {kakiyotest.CreateReturnsIDAndMessage, []string{"POST /agents", "GET /agents/" + kakiyotest.AgentID(1)}},
		"wrapped_agent":  {kakiyotest.CreateReturnsWrappedAgent, []string{"POST /agents"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetAgentCreateResponse(tc.shape)
			id := kakiyotest.AgentID(1)
			config := agentConfig(srv, ``)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
							statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
						},
						Check: func(*terraform.State) error { checkRequests(t, srv, tc.calls...); return nil },
					},
					{PreConfig: endAgents(t, srv, id), Config: config, Destroy: true},
				},
			})
		})
	}
}

// The agent is created but its settings fail: it must stay in state
// (tainted), and the user must be told how to keep it.
func TestAccAgentResource_createFailsAfterPost(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, `
  limits = {
    invitations_max = 30
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Kakiyo can be stricter than the documented ranges.
					srv.InjectFault("PUT", "/agents/"+id, kakiyotest.Fault{Status: 400, Times: 1,
						Body: `{"error":"validation_error","message":"limits.invitationsMax exceeds your plan's limit"}`})
				},
				Config: config,
				ExpectError: errorRe("Kakiyo agent created but not configured", `agent "`+id+`"`, "validation_error",
					"exceeds your plan's limit", "tainted", "terraform untaint"),
			},
			{
				// The tainted agent is in state: the plan replaces it instead
				// of creating a second one beside it, and the replacement
				// stops at the delete, since the agent is not ended.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ExpectError: errorRe("Kakiyo agent not ended", `agent "`+id+`"`, `"setup_needed"`),
			},
			{
				PreConfig: func() {
					if ids := srv.AgentIDs(); len(ids) != 1 || ids[0] != id {
						t.Errorf("agents in the double: %v, want only %s", ids, id)
					}
					endAgents(t, srv, id)()
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}
