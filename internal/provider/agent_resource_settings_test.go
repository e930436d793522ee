package provider

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
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
	hcl := testdataConfig(t, "agent_settings.tf")
	// vars are the configuration's variables: working hours from 1:1:1:1:1:1:0,
	// start to 18:00 (none when start is ""), and the daily limits, with
	// messages_max when it is not 0.
	vars := func(start string, messagesMax int, skip, paused bool) config.Variables {
		limits := map[string]config.Variable{
			"invitations_min": config.IntegerVariable(5), "invitations_max": config.IntegerVariable(20),
			"messages_min": config.IntegerVariable(10),
		}
		if messagesMax != 0 {
			limits["messages_max"] = config.IntegerVariable(messagesMax)
		}
		v := config.Variables{
			"base_url": config.StringVariable(srv.URL()), "api_key": config.StringVariable(kakiyotest.DefaultAPIKey),
			"paused": config.BoolVariable(paused), "skip_in_network": config.BoolVariable(skip),
			"limits": config.ObjectVariable(limits),
		}
		if start != "" {
			v["working_hours"] = config.ObjectVariable(map[string]config.Variable{
				"days": config.StringVariable("1:1:1:1:1:1:0"), "start": config.StringVariable(start),
				"stop": config.StringVariable("18:00"),
			})
		}
		return v
	}
	created := vars("08:30", 0, true, true)
	startChanged := vars("07:00", 0, true, true)
	limitsChanged := vars("07:00", 40, true, true)
	skipChanged := vars("07:00", 40, false, true)
	resumed := vars("07:00", 40, false, false)
	noWorkingHours := vars("", 40, false, false)
	wh := func(days, start, stop string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"days": knownvalue.StringExact(days), "start": knownvalue.StringExact(start),
			"stop": knownvalue.StringExact(stop), "timezone": knownvalue.Float64Exact(0),
		})
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: hcl, ConfigVariables: created,
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
					var state error
					a, _ := srv.Agent(id)
					if a.Status != "paused" || a.Limits["invitationsMax"] != 20 || !a.Settings["skipInNetwork"] || a.Start != "08:30" {
						state = fmt.Errorf("agent in the double: %+v", a)
					}
					return errors.Join(
						checkRequests(srv, "GET /agents", "POST /agents", "PUT "+path, "POST "+path+"/pause", "GET "+path),
						// messages_max was not configured, so it is not sent.
						checkPutBody(srv, id, `{
							"workingHours": {"days": "1:1:1:1:1:1:0", "start": "08:30", "stop": "18:00"},
							"limits": {"invitationsMin": 5, "invitationsMax": 20, "messagesMin": 10},
							"settings": [{"key": "skipInNetwork", "value": true}, {"key": "invitationsOnly", "value": false}]
						}`),
						state)
				},
			},
			{
				// Limits and the two settings cannot be read back.
				Config: hcl, ConfigVariables: created,
				ResourceName:            agentAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"limits", "skip_in_network", "invitations_only"},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    hcl, ConfigVariables: startChanged,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					return errors.Join(
						checkPutBody(srv, id, `{"workingHours": {"days": "1:1:1:1:1:1:0", "start": "07:00", "stop": "18:00"}}`),
						// The refresh and the PUT: a PUT changes only what it sends,
						// so no read-back is paid for.
						checkRequests(srv, "GET "+path, "PUT "+path))
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    hcl, ConfigVariables: limitsChanged,
				Check: func(*terraform.State) error {
					return checkPutBody(srv, id, `{"limits": {"invitationsMin": 5, "invitationsMax": 20, "messagesMin": 10, "messagesMax": 40}}`)
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    hcl, ConfigVariables: skipChanged,
				Check: func(*terraform.State) error {
					return checkPutBody(srv, id, `{"settings": [{"key": "skipInNetwork", "value": false}]}`)
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    hcl, ConfigVariables: resumed,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("paused"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
				},
				// The refresh, the resume, the read-back: no PUT.
				Check: expectRequests(srv, "GET "+path, "POST "+path+"/resume", "GET "+path),
			},
			{
				// Working hours changed in Kakiyo: the plan shows the drift and
				// the apply puts the configured values back.
				PreConfig: func() { srv.SetAgentWorkingHours(id, "0:0:0:0:0:1:1", "10:00", "12:00") },
				Config:    hcl, ConfigVariables: resumed,
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
				Config:    hcl, ConfigVariables: resumed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(agentAddr, tfjsonpath.New("paused"), knownvalue.Bool(false)),
					},
				},
			},
			{
				// Leaving working_hours out stops managing them: no change,
				// and the values Kakiyo has stay visible.
				Config: hcl, ConfigVariables: noWorkingHours,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours"), wh("1:1:1:1:1:1:0", "07:00", "18:00")),
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: hcl, ConfigVariables: noWorkingHours},
		},
	})
}

// Only the values set in working_hours are sent; the others keep Kakiyo's.
func TestAccAgentResource_partialWorkingHours(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	cfg := agentConfig(srv, `
  working_hours = {
    days = "0:1:1:1:1:1:0"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours").AtMapKey("start"), knownvalue.StringExact("09:00")),
				},
				Check: func(*terraform.State) error {
					return checkPutBody(srv, id, `{"workingHours": {"days": "0:1:1:1:1:1:0"}}`)
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: cfg},
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
		"id_and_message": {kakiyotest.CreateReturnsIDAndMessage, []string{"GET /agents", "POST /agents", "GET /agents/" + kakiyotest.AgentID(1)}},
		"wrapped_agent":  {kakiyotest.CreateReturnsWrappedAgent, []string{"GET /agents", "POST /agents"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetAgentCreateResponse(tc.shape)
			id := kakiyotest.AgentID(1)
			cfg := agentConfig(srv, ``)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
							statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
						},
						Check: expectRequests(srv, tc.calls...),
					},
					{PreConfig: endAgents(t, srv, id), Config: cfg},
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
	cfg := agentConfig(srv, `
  limits = {
    invitations_max = 30
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Kakiyo can be stricter than the documented ranges.
					srv.InjectFault("PUT", "/agents/"+id, kakiyotest.Fault{Status: 400, Times: 1,
						Body: `{"error":"validation_error","message":"limits.invitationsMax exceeds your plan's limit"}`})
				},
				Config: cfg,
				ExpectError: errorRe("Kakiyo agent created but not configured", `agent "`+id+`"`, "validation_error",
					"exceeds your plan's limit", "tainted", "terraform untaint"),
			},
			{
				// The tainted agent is in state: the plan replaces it instead
				// of creating a second one beside it, and the replacement
				// stops at the delete, since the agent is not ended.
				Config: cfg,
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
				Config:  cfg,
				Destroy: true,
			},
			checkAfterDestroy(t, checkDestroyedWithOneDelete(srv, id)),
		},
	})
}
