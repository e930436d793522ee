package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// Resource identity (Terraform 1.12 and later, OpenTofu 1.12): an agent's
// identity is its id, after create and after refresh; an import block
// with identity = { id = ... } adopts an agent, with the same state as an
// import by id; a bad id in the identity is refused. On older CLIs the
// identity is absent and import by id works as before
// (TestAccAgentResource_lifecycle, TestAccExamples_importBlock).
func TestAccAgentResource_identity(t *testing.T) {
	srv := kakiyotest.Start(t)
	existing := srv.AddAgent(kakiyotest.AgentSeed{Status: "ended", Name: "Jane Doe"})
	id := kakiyotest.AgentID(2) // the one the configuration creates
	config := agentConfig(srv, ``)
	byIdentity := func(agent string) string {
		return providerBlock(srv) + fmt.Sprintf(`
import {
  to = kakiyo_agent.adopted
  identity = {
    id = %q
  }
}

resource "kakiyo_agent" "adopted" {}
`, agent)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             checkDestroyedWithOneDelete(srv, existing, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(agentAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
					statecheck.ExpectIdentityValueMatchesState(agentAddr, tfjsonpath.New("id")),
				},
			},
			{
				// The testing framework's import by identity: the state it
				// makes must equal the applied one.
				ResourceName:    agentAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				Config:      byIdentity("not/an id"),
				ExpectError: errorRe("Invalid Kakiyo agent id", `got "not/an id"`),
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    config + byIdentity(existing)[len(providerBlock(srv)):],
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("kakiyo_agent.adopted", map[string]knownvalue.Check{
						"id": knownvalue.StringExact(existing)}),
					statecheck.ExpectKnownValue("kakiyo_agent.adopted", tfjsonpath.New("name"), knownvalue.StringExact("Jane Doe")),
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: config + byIdentity(existing)[len(providerBlock(srv)):]},
		},
	})
}
