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

// kakiyo_models lists the active models as documented; kakiyo_model finds
// one by name (any case) or by id, and names the models it knows when the
// name matches none. One call each.
func TestAccModelDataSources(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := providerBlock(srv) + `
data "kakiyo_models" "all" {}

data "kakiyo_model" "by_name" {
  name = "gpt 5 mini"
}

data "kakiyo_model" "by_id" {
  id = "67fcab2e0032f8b20363"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.kakiyo_models.all", tfjsonpath.New("models"), knownvalue.ListSizeExact(6)),
					statecheck.ExpectKnownValue("data.kakiyo_models.all", tfjsonpath.New("models").AtSliceIndex(0),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.StringExact("67fcab2e0032f8b20363"), "name": knownvalue.StringExact("Claude 4 Sonnet"),
							"status": knownvalue.StringExact("active"),
							"pricing": knownvalue.ObjectExact(map[string]knownvalue.Check{
								"input": knownvalue.Float64Exact(3), "output": knownvalue.Float64Exact(15), "cached": knownvalue.Null(),
							}),
						})),
					statecheck.ExpectKnownValue("data.kakiyo_model.by_name", tfjsonpath.New("id"), knownvalue.StringExact("680321c8001e2f527d82")),
					statecheck.ExpectKnownValue("data.kakiyo_model.by_name", tfjsonpath.New("pricing").AtMapKey("cached"), knownvalue.Float64Exact(0.1)),
					statecheck.ExpectKnownValue("data.kakiyo_model.by_id", tfjsonpath.New("name"), knownvalue.StringExact("Claude 4 Sonnet")),
				},
				// The plan read each data source once: two listings, one read by id.
				Check: func(*terraform.State) error {
					return checkEndpoints(srv, calls{"GET /models": 2, "GET /models/{id}": 1})
				},
			},
			{
				Config:      providerBlock(srv) + "data \"kakiyo_model\" \"x\" {\n  name = \"GPT 9\"\n}\n",
				ExpectError: errorRe("Kakiyo model not found", `no active model named "GPT 9"`, "GPT 5 Mini", "Gemini 2.5 Pro"),
			},
			{
				Config:      providerBlock(srv) + "data \"kakiyo_model\" \"x\" {\n  id = \"nope\"\n}\n",
				ExpectError: errorRe("Kakiyo model not found", `no model "nope"`, "kakiyo_models"),
			},
			{
				Config:      providerBlock(srv) + "data \"kakiyo_model\" \"x\" {\n  id   = \"a\"\n  name = \"b\"\n}\n",
				ExpectError: errorRe("Invalid Attribute Combination"),
			},
			// A valid configuration, for the test's own clean-up.
			{Config: providerBlock(srv)},
		},
	})
}
