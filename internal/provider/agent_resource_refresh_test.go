package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// How many refreshing runs terraform-plugin-testing's steps make (each
// run is one configured provider, so one listing at most):
//   - a Config step that creates: its apply, then one plan (1 refresh);
//   - a Config step with nothing to change: a plan, the apply's own plan,
//     then one more plan (2 refreshes: the apply of no change refreshes once);
//   - a PlanOnly step: 1; a RefreshState step: 2;
//   - a Destroy step: the destroy's plan (1), then its apply.

// manyAgents is a provider block plus count kakiyo_agent "many".
func manyAgents(srv *kakiyotest.TestServer, n int) string {
	return providerBlock(srv) + fmt.Sprintf("\nresource \"kakiyo_agent\" \"many\" {\n  count = %d\n}\n", n)
}

// agentIDs are the ids of the first n agents a double creates.
func agentIDs(n int) []string {
	var ids []string
	for i := 1; i <= n; i++ {
		ids = append(ids, kakiyotest.AgentID(i))
	}
	return ids
}

// A refresh of many agents costs one listing per run, and no read by id;
// a destroy of N ended agents costs the listing and N DELETEs.
func TestAccAgentRefresh_oneListingPerWalk(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := manyAgents(srv, 12)
	ids := agentIDs(12)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				// The listing before the creates, and the creates.
				Check: func(*terraform.State) error { return checkEndpoints(srv, calls{"GET /agents": 1, "POST /agents": 12}) },
			},
			{
				PreConfig: func() { assertEndpoints(t, srv, calls{"POST /agents": 12, "GET /agents": 2}) },
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() { assertEndpoints(t, srv, calls{"GET /agents": 1}) },
				Config:    config,
			},
			{
				PreConfig: func() {
					assertEndpoints(t, srv, calls{"GET /agents": 2})
					endAgents(t, srv, ids...)()
				},
				Config:  config,
				Destroy: true,
			},
			checkAfterDestroy(t, func(*terraform.State) error {
				if err := checkEndpoints(srv, calls{"GET /agents": 1, "DELETE /agents/{id}": 12}); err != nil {
					return err
				}
				return checkDestroyedWithOneDelete(srv, ids...)(nil)
			}),
		},
	})
}

// agentSnapshot records every kakiyo_agent of a state, to compare the state
// that different read paths make.
type agentSnapshot struct{ values map[string]map[string]any }

func (s *agentSnapshot) agents(req statecheck.CheckStateRequest) map[string]map[string]any {
	out := map[string]map[string]any{}
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		return out
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Type == "kakiyo_agent" {
			out[r.Address] = r.AttributeValues
		}
	}
	return out
}

// record is a state check that keeps the agents of the state.
func (s *agentSnapshot) record() statecheck.StateCheck { return snapshotCheck{s, true} }

// same is a state check: the agents of the state equal those recorded,
// value for value.
func (s *agentSnapshot) same() statecheck.StateCheck { return snapshotCheck{s, false} }

type snapshotCheck struct {
	s      *agentSnapshot
	record bool
}

func (c snapshotCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	got := c.s.agents(req)
	if c.record {
		if len(got) == 0 {
			resp.Error = fmt.Errorf("no kakiyo_agent in the state to record")
		}
		c.s.values = got
		return
	}
	if !reflect.DeepEqual(got, c.s.values) {
		resp.Error = fmt.Errorf("the state differs from the one recorded:\n got: %v\nwant: %v", got, c.s.values)
	}
}

// Agents imported with import blocks share one listing too; a listing whose
// items lack usage and alerts makes each agent be read by id; the state is
// the same, value for value, whichever path served it.
func TestAccAgentRefresh_sameStateWhicheverPath(t *testing.T) {
	srv := kakiyotest.Start(t)
	var ids []string
	for i, status := range []string{"running", "paused", "ended"} {
		ids = append(ids, srv.AddAgent(kakiyotest.AgentSeed{
			Status: status, Name: fmt.Sprintf("Agent %d", i), Login: fmt.Sprintf("a%d@example.com", i), Country: "FR",
			Alerts: []kakiyotest.Alert{{Type: "linkedin", SubType: "limit", Message: "Weekly limit near", Severity: "warning"}},
		}))
	}
	srv.SetAgentWorkingHours(ids[1], "1:1:1:1:1:1:0", "08:30", "18:00")
	config := func(mode string) string {
		c := providerBlock(srv, `  refresh_mode = "`+mode+`"`)
		for i, id := range ids {
			c += fmt.Sprintf("\nimport {\n  to = kakiyo_agent.a%d\n  id = %q\n}\n\nresource \"kakiyo_agent\" \"a%d\" {\n  deletion_protection = false\n}\n", i, id, i)
		}
		return c
	}
	var snap agentSnapshot
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The imports and every refresh of this step read by id.
				Config:            config(walk.ModeByID),
				ConfigStateChecks: []statecheck.StateCheck{snap.record()},
			},
			{
				// The import run reads 3 agents, the plan after the apply 3.
				PreConfig: func() { assertEndpoints(t, srv, calls{"GET /agents/{id}": 3 + 3}) },
				// From one listing per run, whole items.
				Config:            config(walk.ModeAuto),
				ConfigStateChecks: []statecheck.StateCheck{snap.same()},
			},
			{
				PreConfig: func() {
					assertEndpoints(t, srv, calls{"GET /agents": 2})
					srv.SetAgentListOmits("usage", "alerts")
				},
				// Items without usage and alerts: each agent read by id.
				Config:            config(walk.ModeAuto),
				ConfigStateChecks: []statecheck.StateCheck{snap.same()},
			},
			{
				PreConfig: func() {
					assertEndpoints(t, srv, calls{"GET /agents": 2, "GET /agents/{id}": 3 * 2})
					srv.SetAgentListOmits()
					endAgents(t, srv, ids...)()
				},
				Config: config(walk.ModeList),
			},
		},
	})
}

// An agent deleted outside Terraform: missing from the listing, confirmed
// gone by one read by id, and planned for creation again. An agent missing
// from a stale listing is confirmed present and stays.
func TestAccAgentRefresh_missingFromListing(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := manyAgents(srv, 4)
	ids := agentIDs(4)
	// Agent 2 is deleted outside Terraform, and agent 5 replaces it.
	last := []string{ids[0], ids[2], ids[3], kakiyotest.AgentID(5)}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, last...),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.HideFromAgentList(ids[0])
				},
				// A stale listing: the agent is still there.
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					if n := srv.Count("GET", "/agents/"+ids[0]); n != 1 {
						t.Errorf("the agent missing from the listing was read %d times by id, want 1", n)
					}
					assertEndpoints(t, srv, calls{"GET /agents": 1, "GET /agents/{id}": 1})
					srv.HideFromAgentList()
					srv.RemoveAgent(ids[1])
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{expectCreates(1)},
				},
			},
			{
				PreConfig: func() {
					assertEndpoints(t, srv, calls{"GET /agents": 1, "GET /agents/{id}": 1})
				},
				Config: config,
				Check: func(*terraform.State) error {
					// The apply's plan (listing, confirmation), the listing
					// before the create, the create.
					return checkEndpoints(srv, calls{"GET /agents": 2, "GET /agents/{id}": 1, "POST /agents": 1})
				},
			},
			{
				PreConfig: endAgents(t, srv, last...),
				Config:    config,
			},
		},
	})
}

// Paged listings, by limit and offset and by cursor: every page once per
// run, each asked for as the API says.
func TestAccAgentRefresh_pagedListing(t *testing.T) {
	for name, tc := range map[string]struct {
		paging  kakiyotest.Paging
		queries []string
	}{
		"offset": {kakiyotest.PagingOffset, []string{"", "limit=5&offset=5", "limit=5&offset=10"}},
		"cursor": {kakiyotest.PagingCursor, []string{"", "after=" + kakiyotest.AgentID(5), "after=" + kakiyotest.AgentID(10)}},
	} {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetAgentList(kakiyotest.ListObjectKey, tc.paging, 5)
			config := manyAgents(srv, 12)
			ids := agentIDs(12)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkDestroyedWithOneDelete(srv, ids...),
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: srv.ResetRequests,
						Config:    config,
						PlanOnly:  true,
					},
					{
						PreConfig: func() {
							var queries []string
							for _, r := range srv.Requests() {
								queries = append(queries, r.Query)
							}
							if strings.Join(queries, " ") != strings.Join(tc.queries, " ") {
								t.Errorf("pages asked for: %q, want %q", queries, tc.queries)
							}
							assertEndpoints(t, srv, calls{"GET /agents": 3})
							endAgents(t, srv, ids...)()
						},
						Config: config,
					},
				},
			})
		})
	}
}

// One managed agent in a team of 2,000: one read by id, not the listing.
func TestAccAgentRefresh_oneAgentInALargeTeam(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetAgentList(kakiyotest.ListObjectKey, kakiyotest.PagingOffset, 100)
	config := agentConfig(srv, ``)
	id := kakiyotest.AgentID(1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					for i := 0; i < 2000; i++ {
						srv.AddAgent(kakiyotest.AgentSeed{Team: kakiyotest.DefaultTeam})
					}
					srv.ResetRequests()
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					assertEndpoints(t, srv, calls{"GET /agents/{id}": 1})
					for _, other := range srv.AgentIDs() {
						if other != id {
							srv.RemoveAgent(other)
						}
					}
					endAgents(t, srv, id)()
				},
				Config: config,
			},
		},
	})
}

// A status changed outside Terraform after the last refresh: the destroy's
// own refresh (the listing) sees it, the destroy plan reads that agent once
// more in its own walk, and refuses, naming it.
func TestAccAgentRefresh_statusChangedOutOfBand(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := manyAgents(srv, 3)
	ids := agentIDs(3)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ids...),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: endAgents(t, srv, ids...), Config: config},
			{
				PreConfig: func() {
					srv.SetAgentStatus(ids[1], "running")
					srv.ResetRequests()
				},
				Config:      config,
				Destroy:     true,
				ExpectError: errorRe("Kakiyo agent not ended", ids[1], `status is "running"`),
			},
			{
				PreConfig: func() {
					// Refused at plan time, and no DELETE at all: the
					// refresh's listing, then, in the destroy plan's own walk,
					// one read of the one agent whose state is not "ended"
					// (the ended ones are left to their DELETE).
					assertEndpoints(t, srv, calls{"GET /agents": 1, "GET /agents/{id}": 1})
					endAgents(t, srv, ids...)()
				},
				Config: config,
			},
		},
	})
}

// A listing that fails (here 403: not retried) never loses an agent: every
// agent is read by id instead.
func TestAccAgentRefresh_failedListing(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := manyAgents(srv, 3)
	ids := agentIDs(3)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ids...),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.InjectFault("GET", "/agents", kakiyotest.Fault{Status: 403,
						Body: `{"error":"forbidden","message":"Listing is not allowed for this key"}`})
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					assertEndpoints(t, srv, calls{"GET /agents": 1, "GET /agents/{id}": 3})
					srv.ClearFaults()
					endAgents(t, srv, ids...)()
				},
				Config: config,
			},
		},
	})
}

// The kakiyo_agent and kakiyo_agents data sources of a plan share the
// listing of the agents' refresh: one call for all.
func TestAccAgentRefresh_dataSourcesShareTheListing(t *testing.T) {
	srv := kakiyotest.Start(t)
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append(ids, srv.AddAgent(kakiyotest.AgentSeed{Status: "ended"}))
	}
	config := providerBlock(srv) + fmt.Sprintf(`
locals {
  ids = ["%s"]
}

data "kakiyo_agent" "each" {
  count = length(local.ids)
  id    = local.ids[count.index]
}

data "kakiyo_agents" "ended" {
  status = "ended"
}

output "statuses" {
  value = [for a in data.kakiyo_agent.each : a.status]
}
`, strings.Join(ids, `", "`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("statuses", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("ended"), knownvalue.StringExact("ended"),
						knownvalue.StringExact("ended"), knownvalue.StringExact("ended"),
					})),
					statecheck.ExpectKnownValue("data.kakiyo_agents.ended", tfjsonpath.New("ids"), knownvalue.ListSizeExact(4)),
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				PlanOnly:  true,
			},
			{
				// A PlanOnly step plans twice, and data sources are read
				// in every plan: one listing per plan, for all five.
				PreConfig: func() { assertEndpoints(t, srv, calls{"GET /agents": 2}) },
				Config:    config,
				PlanOnly:  true,
			},
		},
	})
}

// expectCreates is a plan check: exactly n resources are to be created, and
// nothing else changes.
type expectCreates int

func (n expectCreates) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	creates := 0
	for _, rc := range req.Plan.ResourceChanges {
		switch {
		case rc.Change.Actions.Create():
			creates++
		case !rc.Change.Actions.NoOp() && !rc.Change.Actions.Read():
			resp.Error = fmt.Errorf("%s: unexpected actions %v", rc.Address, rc.Change.Actions)
			return
		}
	}
	if creates != int(n) {
		resp.Error = fmt.Errorf("%d resources to create, want %d", creates, n)
	}
}

// Terraform's -parallelism decides how many reads come together. The
// testing framework runs every plan with -parallelism=10 (terraform-exec
// passes it explicitly): 30 agents, ten reads at a time, share one listing,
// with no second listing and no read by id. (Reads that come one by one, as
// with -parallelism=1, are TestWalkReaderSequentialReads; make bench runs
// the CLI with other values.)
func TestAccAgentRefresh_parallelism10(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := manyAgents(srv, 30)
	ids := agentIDs(30)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ids...),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: srv.ResetRequests, Config: config, PlanOnly: true},
			{
				PreConfig: func() {
					assertEndpoints(t, srv, calls{"GET /agents": 1})
					endAgents(t, srv, ids...)()
				},
				Config: config,
			},
		},
	})
}

// Import blocks read the agents they adopt through the same path: four
// imports in one plan share one listing.
func TestAccAgentRefresh_importBlocksShareTheListing(t *testing.T) {
	srv := kakiyotest.Start(t)
	var ids []string
	config := providerBlock(srv)
	for i := 0; i < 4; i++ {
		id := srv.AddAgent(kakiyotest.AgentSeed{Status: "ended"})
		ids = append(ids, id)
		config += fmt.Sprintf("\nimport {\n  to = kakiyo_agent.a%d\n  id = %q\n}\n\nresource \"kakiyo_agent\" \"a%d\" {}\n", i, id, i)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ids...),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				// The plan's imports: one listing; the apply of the imports:
				// no call.
				Check: func(*terraform.State) error { return checkEndpoints(srv, calls{"GET /agents": 1}) },
			},
		},
	})
}
