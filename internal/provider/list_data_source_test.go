package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// kakiyo_products and kakiyo_prompts read every plausible shape of their
// undocumented lists (here: {"data": {"products": [...]}} with Appwrite's
// "$id", paged by offset); kakiyo_webhook_events reads the documented bare
// array.
func TestAccCatalogDataSources(t *testing.T) {
	for name, tc := range map[string]struct {
		shape    kakiyotest.ListShape
		paging   kakiyotest.Paging
		appwrite bool
		pages    int
	}{
		"object key":              {kakiyotest.ListObjectKey, kakiyotest.PagingNone, false, 1},
		"nested data, $id, paged": {kakiyotest.ListNestedData, kakiyotest.PagingOffset, true, 2},
		"bare array":              {kakiyotest.ListBareArray, kakiyotest.PagingNone, false, 1},
	} {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetCatalogList("products", tc.shape, tc.paging, 2, tc.appwrite)
			srv.SetCatalogList("prompts", tc.shape, tc.paging, 2, tc.appwrite)
			product := srv.AddProduct("Kakiyo Pro", "LinkedIn outreach")
			srv.AddProduct("Kakiyo Lite", "")
			srv.AddProduct("Kakiyo Agency", "For agencies")
			prompt := srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
			config := providerBlock(srv) + `
data "kakiyo_products" "all" {}

data "kakiyo_prompts" "all" {}

data "kakiyo_webhook_events" "all" {}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig: srv.ResetRequests,
						Config:    config,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.kakiyo_products.all", tfjsonpath.New("products"), knownvalue.ListSizeExact(3)),
							statecheck.ExpectKnownValue("data.kakiyo_products.all", tfjsonpath.New("products").AtSliceIndex(0),
								knownvalue.ObjectExact(map[string]knownvalue.Check{
									"id": knownvalue.StringExact(product), "name": knownvalue.StringExact("Kakiyo Pro"),
									"description": knownvalue.StringExact("LinkedIn outreach"),
								})),
							statecheck.ExpectKnownValue("data.kakiyo_prompts.all", tfjsonpath.New("prompts"),
								knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
									"id": knownvalue.StringExact(prompt), "name": knownvalue.StringExact("First touch"),
									"type": knownvalue.StringExact("invitation"), "model": knownvalue.StringExact("680321c8001e2f527d82"),
								})})),
							statecheck.ExpectKnownValue("data.kakiyo_webhook_events.all", tfjsonpath.New("events"), knownvalue.ListSizeExact(6)),
							statecheck.ExpectKnownValue("data.kakiyo_webhook_events.all", tfjsonpath.New("events").AtSliceIndex(0).AtMapKey("id"),
								knownvalue.StringExact("agent.status_changed")),
						},
						Check: func(*terraform.State) error {
							return checkEndpoints(srv, calls{"GET /products": tc.pages, "GET /prompts": 1,
								"GET /webhooks/test/events": 1})
						},
					},
				},
			})
		})
	}
}
