package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// addCampaign makes a campaign in the double, through the API as Kakiyo
// would (no provider run), and forgets the requests it took.
func addCampaign(t *testing.T, srv *kakiyotest.TestServer, name string) string {
	t.Helper()
	c, err := kakiyo.New(kakiyo.Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	agent, err := c.CreateAgent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	product := srv.AddProduct("Freight", "")
	prompt := srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
	camp, err := c.CreateCampaign(ctx, kakiyo.CampaignInput{Name: name, AgentID: agent.ID, ProductID: product, PromptID: prompt})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	return camp.ID
}

// kakiyo_campaign_analytics: one GET per read, every documented value in
// its attribute; a campaign Kakiyo does not know, and one of another team,
// are errors that say so.
func TestAccCampaignAnalyticsDataSource(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := addCampaign(t, srv, "Q4 outreach")
	srv.SetCampaignMetrics(id, kakiyotest.CampaignMetricsSeed{Prospects: 150, Messages: 420, Qualified: 18, Answers: 35,
		Closed: 5, Daily: []kakiyotest.DailyActivitySeed{{Date: "2026-03-01", Messages: 25, Responses: 4, Qualified: 1},
			{Date: "2026-03-02", Messages: 30, Responses: 6, Qualified: 2}},
		StatusDistribution:     map[string]int64{"pending": 50, "contacted": 65, "responded": 17, "qualified": 13, "closed": 5},
		QualificationBreakdown: map[string]int64{"pending": 120, "qualified": 18, "disqualified": 12}})
	other := addCampaign(t, srv, "Not ours")
	srv.MoveCampaignToTeam(other, "team_other")
	ds := func(id string) string {
		return providerBlock(srv) + `
data "kakiyo_campaign_analytics" "q4" {
  id = "` + id + `"
}
`
	}
	addr := "data.kakiyo_campaign_analytics.q4"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: ds(id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Q4 outreach")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("product_name"), knownvalue.StringExact("Freight")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("agent_id"), knownvalue.StringExact(kakiyotest.AgentID(1))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("metrics"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"total_prospects": knownvalue.Int64Exact(150), "total_messages": knownvalue.Int64Exact(420),
						"total_qualified": knownvalue.Int64Exact(18), "total_answers": knownvalue.Int64Exact(35),
						"total_closed": knownvalue.Int64Exact(5), "conversion_rate": knownvalue.Float64Exact(3.33),
						"response_rate": knownvalue.Float64Exact(23.33), "qualification_rate": knownvalue.Float64Exact(12),
						"average_messages_per_prospect": knownvalue.Float64Exact(2.8),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("activity").AtMapKey("daily_breakdown"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"date": knownvalue.StringExact("2026-03-01"),
							"messages": knownvalue.Int64Exact(25), "responses": knownvalue.Int64Exact(4), "qualified": knownvalue.Int64Exact(1)}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"date": knownvalue.StringExact("2026-03-02"),
							"messages": knownvalue.Int64Exact(30), "responses": knownvalue.Int64Exact(6), "qualified": knownvalue.Int64Exact(2)}),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("activity").AtMapKey("last_7_days"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"messages": knownvalue.Int64Exact(55), "responses": knownvalue.Int64Exact(10), "qualified": knownvalue.Int64Exact(3)})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("status_distribution").AtMapKey("contacted"), knownvalue.Int64Exact(65)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("qualification_breakdown").AtMapKey("disqualified"), knownvalue.Int64Exact(12)),
				},
				Check: func(*terraform.State) error {
					return checkEndpoints(srv, calls{"GET /analytics/campaigns/{id}": 1})
				},
			},
			{Config: ds("682c0dfc0036ded6b91c"), ExpectError: errorRe("Kakiyo campaign not found", `Kakiyo has no campaign "682c0dfc0036ded6b91c"`)},
			{Config: ds(other), ExpectError: errorRe("No access to Kakiyo campaign", other)},
		},
	})
}
