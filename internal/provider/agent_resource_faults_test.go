package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// Transient failures are ridden out by retries; each scenario checks the
// exact requests Kakiyo saw.
func TestAccAgentResource_transientFaults(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	path := "/agents/" + id
	config := agentConfig(srv, `
  working_hours = {
    start = "10:00"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDeleteAfterRetries(srv, id),
		Steps: []resource.TestStep{
			{
				// 429 with Retry-After on create (safe to retry: refused before
				// anything was done), then 503 twice on the settings.
				PreConfig: func() {
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Status: 429, Times: 1,
						Header: map[string]string{"Retry-After": "1"},
						Body:   `{"error":"rate_limit_exceeded","message":"Too many requests"}`})
					srv.InjectFault("PUT", path, kakiyotest.Fault{Status: 503, Times: 2, Body: "<html>busy</html>"})
				},
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					expectRequests(srv, "GET /agents", "POST /agents", "POST /agents", "PUT "+path, "PUT "+path, "PUT "+path, "GET "+path),
					expectAgentCount(srv, 1)),
			},
			{
				// A read that fails twice with 502 still refreshes.
				PreConfig: func() {
					srv.ResetRequests()
					srv.InjectFault("GET", path, kakiyotest.Fault{Status: 502, Times: 2, Body: "Bad Gateway"})
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				// The DELETE is carried out, but its answer is lost: the retry
				// meets not_found, which counts as deleted.
				PreConfig: func() {
					assertRequests(t, srv, "GET "+path, "GET "+path, "GET "+path)
					srv.SetAgentStatus(id, "ended")
					srv.ResetRequests()
					srv.InjectFault("DELETE", path, kakiyotest.Fault{Reset: true, AfterHandling: true, Times: 1})
				},
				Config: config,
			},
		},
	})
}

// checkDestroyedWithOneDeleteAfterRetries: the agents are gone, after the
// last step's two refreshes (its apply's and its plan's), exactly two
// DELETEs (the lost answer and its retry) and one GET /verify.
func checkDestroyedWithOneDeleteAfterRetries(srv *kakiyotest.TestServer, id string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := srv.AgentIDs(); len(left) != 0 {
			return fmt.Errorf("agents left: %v", left)
		}
		var got []string
		for _, r := range srv.Requests() {
			got = append(got, r.Method+" "+r.Path)
		}
		// The retry's not_found is taken as Kakiyo's once GET /verify shows that
		// base_url is the Kakiyo API: nothing else of that process answered.
		want := []string{"GET /agents/" + id, "GET /agents/" + id, "DELETE /agents/" + id, "DELETE /agents/" + id, "GET /verify"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("requests %v, want %v", got, want)
		}
		return nil
	}
}

// Failures that outlast the retries are reported with the attempts made;
// a hung server is cut off by the timeouts.
func TestAccAgentResource_persistentFaults(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	path := "/agents/" + id
	config := providerBlock(srv, `  max_retries = 2`) + "\nresource \"kakiyo_agent\" \"test\" {}\n"
	timedOut := providerBlock(srv, `  request_timeout = "200ms"`, `  max_retries = 1`) + "\nresource \"kakiyo_agent\" \"test\" {}\n"
	slowConfig := config + `
resource "kakiyo_agent" "slow" {
  timeouts = {
    create = "300ms"
  }
}
`

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.InjectFault("GET", path, kakiyotest.Fault{Status: 500,
						Body: `{"error":"internal_error","message":"An internal error occurred"}`})
				},
				Config:   config,
				PlanOnly: true,
				ExpectError: errorRe("Kakiyo API error", `read Kakiyo agent "`+id+`"`, "HTTP status: 500",
					"Attempts: 3", "2 retries exhausted", "max_retries"),
			},
			{
				PreConfig: func() {
					assertRequests(t, srv, "GET "+path, "GET "+path, "GET "+path)
					srv.ClearFaults()
					srv.ResetRequests()
					srv.InjectFault("GET", path, kakiyotest.Fault{Delay: 10 * time.Second, Status: 200, Body: `{}`})
				},
				Config:      timedOut,
				PlanOnly:    true,
				ExpectError: errorRe("Kakiyo API unreachable", `read Kakiyo agent "`+id+`"`, "no answer within the 200ms request timeout", "Attempts: 2"),
			},
			{
				Config: slowConfig,
				// The create of "slow" hangs: its time limit ends it. Kakiyo made
				// the agent, and the settlement, on a context of its own (the
				// create's has run out), finds and adopts it: nothing lost.
				PreConfig: func() {
					assertRequests(t, srv, "GET "+path, "GET "+path)
					srv.ClearFaults()
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Delay: 10 * time.Second, AfterHandling: true, Status: 200, Body: `{}`})
				},
				Check: resource.ComposeTestCheckFunc(expectAgentCount(srv, 2),
					resource.TestCheckResourceAttr("kakiyo_agent.slow", "id", kakiyotest.AgentID(2))),
			},
			{
				// Kakiyo ends both: the refresh reads the adopted agent's status.
				PreConfig: func() {
					srv.ClearFaults()
					endAgents(t, srv, id, kakiyotest.AgentID(2))()
				},
				Config: slowConfig,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("kakiyo_agent.slow",
					tfjsonpath.New("status"), knownvalue.StringExact("ended"))},
			},
			{
				// The slow one leaves the configuration and is deleted.
				Config: config,
				Check:  expectAgentCount(srv, 1),
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// Only the read-back after create fails: the agent is kept, untainted, with
// a warning, and the next refresh fills in what was missing.
func TestAccAgentResource_createReadBackFails(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, `
  limits = {
    invitations_max = 30
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("GET", "/agents/"+id, kakiyotest.Fault{Status: 500, Times: 6, // 1 + 5 retries
						Body: `{"error":"internal_error","message":"An internal error occurred"}`})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.Null()),
				},
				// The post-apply refresh fills status: a refresh-only change.
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}
