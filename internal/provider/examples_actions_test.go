package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// The actions' action_trigger examples (Terraform 1.14 and later; -invoke
// is tested in agent_relaunch_action_test.go and webhook_dnc_cli_test.go),
// and the campaign analytics example.

// action_trigger.tf of kakiyo_agent_relaunch: creating the trigger
// relaunches nothing; a new relaunch_generation relaunches the ended agent
// with one call.
func TestAccExamples_agentRelaunchTrigger(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	cfg := providerBlock(srv) + readExample(t, "resources/kakiyo_agent/resource.tf") +
		readExample(t, "actions/kakiyo_agent_relaunch/action.tf") + readExample(t, "actions/kakiyo_agent_relaunch/action_trigger.tf")
	gen := func(n int) config.Variables {
		return config.Variables{"relaunch_generation": config.IntegerVariable(n)}
	}
	relaunches := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if n := srv.CountEndpoint("POST /agents/{id}/relaunch"); n != want {
				return fmt.Errorf("%d relaunch calls, want %d", n, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigVariables: gen(1), Check: relaunches(0)},
			{
				PreConfig: endAgents(t, srv, id), Config: cfg, ConfigVariables: gen(2),
				Check: resource.ComposeTestCheckFunc(relaunches(1), func(*terraform.State) error {
					if a, _ := srv.Agent(id); a.Status != "setup_needed" {
						return fmt.Errorf("agent after the relaunch: %+v", a)
					}
					return nil
				}),
			},
			{PreConfig: endAgents(t, srv, id), Config: cfg, ConfigVariables: gen(2), Check: relaunches(0)},
		},
	})
}

// action_trigger.tf of kakiyo_webhook_test: the create sends one test, a
// new URL another.
func TestAccExamples_webhookTestTrigger(t *testing.T) {
	srv := kakiyotest.Start(t)
	cfg := providerBlock(srv) + readExample(t, "resources/kakiyo_webhook/resource.tf") +
		readExample(t, "actions/kakiyo_webhook_test/action.tf") + readExample(t, "actions/kakiyo_webhook_test/action_trigger.tf")
	moved := strings.Replace(cfg, "https://crm.example.com/hooks/kakiyo", "https://crm.example.com/hooks/kakiyo-v2", 1)
	tests := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got := srv.WebhookTests()
			if len(got) != want {
				return fmt.Errorf("%d tests sent, want %d: %+v", len(got), want, got)
			}
			if last := got[len(got)-1]; last.Event != "prospect.qualified" || len(last.WebhookIDs) != 1 {
				return fmt.Errorf("test %+v", last)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: cfg, Check: tests(1)},
			{Config: moved, Check: tests(2)},
		},
	})
}

// The campaign analytics example, beside the campaign's: its outputs, from
// one call.
func TestAccExamples_campaignAnalytics(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.AddProduct("Kakiyo Pro", "LinkedIn outreach")
	srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
	cfg := providerBlock(srv)
	for _, f := range []string{"resources/kakiyo_agent/resource.tf", "data-sources/kakiyo_products/data-source.tf",
		"data-sources/kakiyo_prompts/data-source.tf", "resources/kakiyo_campaign/resource.tf",
		"data-sources/kakiyo_campaign_analytics/data-source.tf"} {
		cfg += readExample(t, f)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if c, _ := srv.Campaign(kakiyotest.CampaignID(1)); c.Status != "paused" || len(srv.AgentIDs()) != 0 {
				return fmt.Errorf("campaign %+v, agents %v", c, srv.AgentIDs())
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					srv.SetCampaignMetrics(kakiyotest.CampaignID(1), kakiyotest.CampaignMetricsSeed{Prospects: 40, Answers: 9,
						Daily: []kakiyotest.DailyActivitySeed{{Date: "2026-03-02", Messages: 12, Responses: 3, Qualified: 1}}})
					srv.ResetRequests()
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("acme_q4_response_rate", knownvalue.Float64Exact(22.5)),
					statecheck.ExpectKnownOutputValue("acme_q4_last_7_days", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"messages": knownvalue.Int64Exact(12), "responses": knownvalue.Int64Exact(3), "qualified": knownvalue.Int64Exact(1)})),
				},
				// The refresh: the agent, the catalog, the campaign's analytics
				// (its refresh) and the data source's.
				Check: func(*terraform.State) error {
					return checkEndpoints(srv, calls{"GET /agents/{id}": 1, "GET /products": 1, "GET /prompts": 1,
						"GET /analytics/campaigns/{id}": 2})
				},
			},
			{PreConfig: endAgents(t, srv, kakiyotest.AgentID(1)), Config: cfg},
		},
	})
}
