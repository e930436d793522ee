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

// A plain agent: create (one call), import, a destroy refused while the
// agent is setup_needed, then, once Kakiyo has ended it, a destroy that
// deletes it with one DELETE.
func TestAccAgentResource_lifecycle(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(t, srv, id),
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
				Check: func(_ *terraform.State) error {
					// POST /agents answered with the whole agent and nothing was
					// configured: no PUT, no read-back.
					checkRequests(t, srv, "POST /agents")
					return nil
				},
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
				ExpectError: errorRe("Kakiyo agent not ended", `delete agent "`+id+`"`, `status is "setup_needed"`, `only when its status is "ended"`, "stays in the Terraform state", "removed {", "destroy = false", "terraform state rm"),
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
				Destroy:   true,
			},
		},
	})
}
