package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// A refresh-only run (terraform apply -refresh-only, here through
// terraform refresh) with a running agent still in the state but no longer
// in the configuration. Every CLI of the matrix asks the provider to plan
// that agent's destroy even in such a run, and nothing in the request says
// the run is refresh-only: the provider must refuse as for any destroy. What
// the user sees says so and names the ways out; nothing is deleted, and
// putting the resource block back plans no change.
func TestAccAgentResource_refreshOnlyWithoutTheResourceBlock(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The plan of the configuration without the agent refuses.
				PreConfig:   srv.ResetRequests,
				Config:      providerBlock(srv),
				ExpectError: errorRe("Kakiyo agent not ended", id, `status is "setup_needed"`),
			},
			{
				// The plan read the agent once (its refresh), and the destroy
				// it planned in the same run used that read: no other call.
				PreConfig:    func() { assertEndpoints(t, srv, calls{"GET /agents/{id}": 1}) },
				RefreshState: true,
				ExpectError: errorRe("Kakiyo agent not ended", id, "lifecycle { destroy = false }", "removed block",
					`Refresh-only run? See "Refresh-only runs" (agent docs, offboarding guide).`),
			},
			{
				PreConfig: func() {
					// Nothing was deleted, and no DELETE was sent: the
					// refresh-only run's one read decided.
					if n := srv.Count("DELETE", "*"); n != 0 {
						t.Errorf("%d DELETE requests in refresh-only runs", n)
					}
					assertEndpoints(t, srv, calls{"GET /agents/{id}": 1})
					if _, ok := srv.Agent(id); !ok {
						t.Error("the agent is gone from Kakiyo")
					}
				},
				Config:   config,
				PlanOnly: true,
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// The way out on Terraform 1.7 and later: a removed block with
// destroy = false drops the agent from the state and keeps it in Kakiyo;
// refresh-only runs then pass. (Older CLIs: TestAccAgentResource_refreshOnlyWithoutTheResourceBlock shows
// the other way out, the resource block put back.)
func TestAccAgentResource_refreshOnlyAfterRemovedBlock(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	removed := providerBlock(srv) + `
removed {
  from = kakiyo_agent.test

  lifecycle {
    destroy = false
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(version.Must(version.NewVersion("1.7.0"))),
		},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			// Forgotten by Terraform, never deleted.
			if _, ok := srv.Agent(id); !ok || srv.Count("DELETE", "*") != 0 {
				return fmt.Errorf("the agent was deleted (present %v, %d DELETEs)", ok, srv.Count("DELETE", "*"))
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: agentConfig(srv, ``)},
			{Config: removed},
			{RefreshState: true},
		},
	})
}
