package provider

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// sameAgents is a Check: the agents of the state are exactly Kakiyo's.
func sameAgents(srv *kakiyotest.TestServer) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		var inState []string
		for _, r := range s.RootModule().Resources {
			if r.Type == "kakiyo_agent" {
				inState = append(inState, r.Primary.ID)
			}
		}
		slices.Sort(inState)
		if inKakiyo := srv.AgentIDs(); !slices.Equal(inState, inKakiyo) {
			return fmt.Errorf("agents in the state %v, in Kakiyo %v", inState, inKakiyo)
		}
		return nil
	}
}

// checks runs every check, in order.
func checks(fs ...resource.TestCheckFunc) resource.TestCheckFunc {
	return resource.ComposeTestCheckFunc(fs...)
}

// A create whose answer is lost after Kakiyo created the agent: the
// provider finds the agent with a listing and adopts it, and the run
// succeeds with one agent in Kakiyo and in the state. Before the first
// POST of the run, the team's agents are listed once (the baseline); the
// lost answer costs one more listing.
func TestAccAgentResource_lostCreateAnswerAdopted(t *testing.T) {
	for name, fault := range map[string]kakiyotest.Fault{
		"connection dropped after handling": {Reset: true, AfterHandling: true, Times: 1},
		"502 after creating": {Status: 502, AfterHandling: true, Times: 1,
			Body: `<html><body>502 Bad Gateway</body></html>`},
		"timeout after creating": {Delay: 3 * time.Second, AfterHandling: true, Times: 1},
	} {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			other := srv.AddAgent(kakiyotest.AgentSeed{Status: "setup_needed", Team: kakiyotest.DefaultTeam})
			id := kakiyotest.AgentID(2)
			config := providerBlock(srv, `  request_timeout = "500ms"`) + `
resource "kakiyo_agent" "test" {
  working_hours = {
    start = "10:00"
  }
}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							srv.InjectFault("POST", "/agents", fault)
							srv.ResetRequests()
						},
						Config: config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
							statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("working_hours").AtMapKey("start"),
								knownvalue.StringExact("10:00")),
						},
						Check: checks(
							// The baseline listing, the POST (its answer lost), the
							// listing that finds the agent, then the rest of the
							// create: the settings and the read-back.
							expectRequests(srv, "GET /agents", "POST /agents", "GET /agents",
								"PUT /agents/"+id, "GET /agents/"+id),
							func(*terraform.State) error {
								// The other agent in setup_needed was there before
								// the run: never a candidate.
								if _, ok := srv.Agent(other); !ok || len(srv.AgentIDs()) != 2 {
									return fmt.Errorf("agents in Kakiyo: %v", srv.AgentIDs())
								}
								return nil
							},
						),
					},
					{
						PreConfig: func() {
							srv.RemoveAgent(other)
							endAgents(t, srv, id)()
						},
						Config: config,
						Check:  sameAgents(srv),
					},
				},
			})
		})
	}
}

// Two agents created at once (count = 2), both answers lost: one listing
// after both finds two new agents, and each create adopts one.
func TestAccAgentResource_twoLostCreateAnswers(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := manyAgents(srv, 2)
	ids := agentIDs(2)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ids...),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Reset: true, AfterHandling: true, Times: 2})
					// Both POSTs in flight before either is answered, as when
					// Terraform starts both creates together.
					both := make(chan struct{})
					var posts atomic.Int32
					srv.OnRequest(func(method, path string) {
						if method == "POST" && path == "/agents" {
							if posts.Add(1) == 2 {
								close(both)
							}
							select {
							case <-both:
							case <-time.After(10 * time.Second):
							}
						}
					})
				},
				Config: config,
				Check: checks(sameAgents(srv), func(*terraform.State) error {
					return checkEndpoints(srv, calls{"GET /agents": 2, "POST /agents": 2})
				}),
			},
			{
				PreConfig: func() {
					srv.OnRequest(nil)
					endAgents(t, srv, ids...)()
				},
				Config: config, Check: sameAgents(srv),
			},
		},
	})
}

// Someone else creates an agent during the apply, and the answer of this
// run's create is lost: two candidates for one lost answer. The provider
// adopts neither, saves nothing, and names both with an import block each;
// importing the right one then makes Kakiyo and the state agree on it.
func TestAccAgentResource_lostCreateAnswerWithSomeoneElsesAgent(t *testing.T) {
	srv := kakiyotest.Start(t)
	ours, theirs := kakiyotest.AgentID(1), kakiyotest.AgentID(2)
	config := agentConfig(srv, ``)
	adopt := config + fmt.Sprintf("\nimport {\n  to = kakiyo_agent.test\n  id = %q\n}\n", ours)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ours),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Reset: true, AfterHandling: true, Times: 1})
					created := false
					srv.OnRequest(func(method, path string) {
						if method == "GET" && path == "/agents" && srv.Count("POST", "/agents") == 1 && !created {
							// Someone else's create lands before the listing
							// that follows the lost answer.
							created = true
							srv.AddAgent(kakiyotest.AgentSeed{Status: "setup_needed"})
						}
					})
					srv.ResetRequests()
				},
				Config: config,
				ExpectError: errorRe("Kakiyo may have created an agent: several candidates", "2 new agents",
					"someone else created agents", "adopted none", ours, theirs, "import {", `id = "`+ours+`"`,
					`id = "`+theirs+`"`),
			},
			{
				PreConfig: func() {
					srv.OnRequest(nil)
					assertRequests(t, srv, "GET /agents", "POST /agents", "GET /agents")
					if ids := srv.AgentIDs(); len(ids) != 2 {
						t.Errorf("agents in Kakiyo: %v", ids)
					}
					srv.RemoveAgent(theirs) // theirs to manage, not this test's
				},
				Config: adopt,
				Check:  sameAgents(srv),
			},
			{PreConfig: endAgents(t, srv, ours), Config: adopt},
		},
	})
}

// The answer is lost but Kakiyo created nothing (the connection dropped
// after the request was sent, before Kakiyo handled it): the listing shows
// no new agent, so the create is sent again, safely (three tries at most).
func TestAccAgentResource_lostCreateAnswerNothingCreated(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Reset: true, Times: 1})
					srv.ResetRequests()
				},
				Config: config,
				Check: checks(sameAgents(srv),
					expectRequests(srv, "GET /agents", "POST /agents", "GET /agents", "POST /agents")),
			},
			{
				PreConfig: func() {
					// Lost every time, nothing created: after the third try a
					// clear error, and nothing in Kakiyo or the state.
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Reset: true, Times: 3})
					srv.ResetRequests()
				},
				Config:      config + "\nresource \"kakiyo_agent\" \"second\" {}\n",
				ExpectError: errorRe("Kakiyo agent not created", "lost 3 times", "created no agent", "apply again"),
			},
			{
				PreConfig: func() {
					assertRequests(t, srv, "GET /agents/"+id, "GET /agents", "POST /agents", "GET /agents",
						"POST /agents", "GET /agents", "POST /agents", "GET /agents")
					if ids := srv.AgentIDs(); len(ids) != 1 {
						t.Errorf("agents in Kakiyo: %v", ids)
					}
					endAgents(t, srv, id)()
				},
				Config: config,
				Check:  sameAgents(srv),
			},
		},
	})
}

// Without a baseline (listing the team's agents fails), a lost answer
// cannot be resolved: the run fails as before, says why, and never retries.
func TestAccAgentResource_lostCreateAnswerUnresolved(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := agentConfig(srv, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("GET", "/agents", kakiyotest.Fault{Status: 403,
						Body: `{"error":"forbidden","message":"Listing is not allowed for this key"}`})
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Reset: true, AfterHandling: true, Times: 1})
				},
				Config: config,
				ExpectError: errorRe("Kakiyo may have created an agent", "did not retry",
					"Listing the team's agents", "failed too", "terraform import"),
			},
			{
				PreConfig: func() {
					if n := srv.Count("POST", "/agents"); n != 1 || len(srv.AgentIDs()) != 1 {
						t.Errorf("%d POSTs, agents %v", n, srv.AgentIDs())
					}
					srv.ClearFaults()
					for _, id := range srv.AgentIDs() {
						srv.RemoveAgent(id)
					}
				},
				Config: requiredProviders,
			},
		},
	})
}
