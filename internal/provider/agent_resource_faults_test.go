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
// last step's two refreshes (its apply's and its plan's) and exactly two
// DELETEs (the lost answer and its retry).
func checkDestroyedWithOneDeleteAfterRetries(srv *kakiyotest.TestServer, id string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := srv.AgentIDs(); len(left) != 0 {
			return fmt.Errorf("agents left: %v", left)
		}
		var got []string
		for _, r := range srv.Requests() {
			got = append(got, r.Method+" "+r.Path)
		}
		want := []string{"GET /agents/" + id, "GET /agents/" + id, "DELETE /agents/" + id, "DELETE /agents/" + id}
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
				Config: config + `
resource "kakiyo_agent" "slow" {
  timeouts = {
    create = "300ms"
  }
}
`,
				// The create of "slow" hangs: its time limit ends it, and since
				// Kakiyo may have received it, the error says how to find it.
				PreConfig: func() {
					assertRequests(t, srv, "GET "+path, "GET "+path)
					srv.ClearFaults()
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Delay: 10 * time.Second, AfterHandling: true, Status: 200, Body: `{}`})
				},
				ExpectError: errorRe("Kakiyo may have created an agent", "setup_needed", "terraform import"),
			},
			{
				PreConfig: func() {
					srv.ClearFaults()
					endAgents(t, srv, id, kakiyotest.AgentID(2))()
					srv.RemoveAgent(kakiyotest.AgentID(2)) // cleaned up by hand, as the error advised
				},
				Config: config,
			},
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
