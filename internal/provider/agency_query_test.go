package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// terraform query with the kakiyo_workspace and kakiyo_campaign list
// resources (Terraform 1.14 and later): the team's objects, with identities,
// readable names and the resources as an import would read them; one
// listing of each (one call per page).
func TestAccWorkspaceAndCampaignListResources(t *testing.T) {
	s := newCampaignSeed(t)
	srv := s.srv
	srv.SetCampaignList(kakiyotest.ListObjectKey, kakiyotest.PagingCursor, 2)
	srv.AddWorkspace("Acme")
	srv.AddWorkspace("Globex")
	config := providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_campaign" "c" {
  count      = 3
  name       = "Campaign ${count.index}"
  agent_id   = %q
  product_id = %q
  prompt_id  = %q
}
`, s.agent, s.product, s.prompt)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: srv.ResetRequests,
				Query:     true,
				Config: `
list "kakiyo_workspace" "all" {
  provider         = kakiyo
  include_resource = true
}

list "kakiyo_campaign" "all" {
  provider         = kakiyo
  include_resource = true
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("kakiyo_workspace.all", 2),
					querycheck.ExpectIdentity("kakiyo_workspace.all", identityOf(kakiyotest.WorkspaceID(1))),
					querycheck.ExpectResourceDisplayName("kakiyo_workspace.all", queryfilter.ByResourceIdentity(identityOf(kakiyotest.WorkspaceID(2))),
						knownvalue.StringExact("Globex")),
					querycheck.ExpectLength("kakiyo_campaign.all", 3),
					querycheck.ExpectIdentity("kakiyo_campaign.all", identityOf(kakiyotest.CampaignID(3))),
					querycheck.ExpectResourceKnownValues("kakiyo_campaign.all", queryfilter.ByDisplayName(knownvalue.StringExact("Campaign 1 (active)")),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("product_id"), KnownValue: knownvalue.StringExact(s.product)},
							{Path: tfjsonpath.New("qualification_automatic"), KnownValue: knownvalue.Int64Exact(70)},
							{Path: tfjsonpath.New("paused"), KnownValue: knownvalue.Bool(false)},
						}),
				},
			},
			{
				// Two workspaces in one answer; three campaigns in pages of two.
				PreConfig: func() { assertEndpoints(t, srv, calls{"GET /workspaces": 1, "GET /campaigns": 2}) },
				Config:    config,
			},
		},
	})
}
