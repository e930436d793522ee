package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

func TestAccAgentDataSource(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := srv.AddAgent(kakiyotest.AgentSeed{Status: "paused", Alerts: []kakiyotest.Alert{
		{Type: "auth", SubType: "2fa_required", Message: "Enter the code", Severity: "warning"},
	}})
	srv.SetAgentProfile(id, "Jane Doe", "jane@example.com", "FR", "https://example.com/jane.jpg")
	other := srv.AddAgent(kakiyotest.AgentSeed{Team: "team_other"})
	read := func(agentID string) string {
		return providerBlock(srv) + fmt.Sprintf("\ndata \"kakiyo_agent\" \"x\" {\n  id = %q\n}\n", agentID)
	}
	addr := "data.kakiyo_agent.x"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: read(id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("paused")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("paused"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Jane Doe")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("login"), knownvalue.StringExact("jane@example.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("country"), knownvalue.StringExact("FR")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("working_hours").AtMapKey("days"), knownvalue.StringExact("1:1:1:1:1:0:0")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("usage").AtMapKey("messages"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("alerts").AtSliceIndex(0).AtMapKey("sub_type"), knownvalue.StringExact("2fa_required")),
				},
			},
			{Config: read("agent_missing"), ExpectError: errorRe("Kakiyo agent not found", `"agent_missing"`)},
			{Config: read(other), ExpectError: errorRe("No access to Kakiyo agent", other)},
		},
	})
}

// GET /agents is not documented: every plausible shape and paging must give
// the same answer, and the status filter must keep only matching agents.
func TestAccAgentsDataSource(t *testing.T) {
	variants := map[string]struct {
		shape  kakiyotest.ListShape
		paging kakiyotest.Paging
	}{
		"bare_array":       {kakiyotest.ListBareArray, kakiyotest.PagingNone},
		"agents_key":       {kakiyotest.ListObjectKey, kakiyotest.PagingNone},
		"data_key_offset":  {kakiyotest.ListDataKey, kakiyotest.PagingOffset},
		"items_key_cursor": {kakiyotest.ListItemsKey, kakiyotest.PagingCursor},
		"nested_offset":    {kakiyotest.ListNestedData, kakiyotest.PagingOffset},
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetAgentList(v.shape, v.paging, 3)
			var ended []knownvalue.Check
			for _, st := range []string{"running", "ended", "paused", "ended", "setup_needed", "ended", "disabled"} {
				id := srv.AddAgent(kakiyotest.AgentSeed{Status: st})
				if st == "ended" {
					ended = append(ended, knownvalue.StringExact(id))
				}
			}
			srv.AddAgent(kakiyotest.AgentSeed{Status: "ended", Team: "team_other"}) // never listed
			config := providerBlock(srv) + `
data "kakiyo_agents" "all" {}

data "kakiyo_agents" "ended" {
  status = "ended"
}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.kakiyo_agents.all", tfjsonpath.New("agents"), knownvalue.ListSizeExact(7)),
						statecheck.ExpectKnownValue("data.kakiyo_agents.ended", tfjsonpath.New("ids"), knownvalue.ListExact(ended)),
						statecheck.ExpectKnownValue("data.kakiyo_agents.ended", tfjsonpath.New("agents").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("ended")),
					},
				}},
			})
		})
	}
}
