package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// terraform query with the kakiyo_webhook and kakiyo_dnc_entry list
// resources (Terraform 1.14 and later): the team's objects and no other
// team's, with identities and readable names, one listing each; the
// resources as an import would read them.
func TestAccWebhookAndDNCListResources(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetWebhookList(kakiyotest.ListDataKey, kakiyotest.PagingCursor, 1)
	for i := range 1200 {
		srv.AddDNCOutOfBand("", fmt.Sprintf("in/person-%04d", i))
	}
	srv.AddDNCOutOfBand("team_other", "in/not-ours")
	config := providerBlock(srv) + `
resource "kakiyo_webhook" "a" {
  name   = "CRM"
  url    = "https://crm.example.com/hook"
  events = ["*"]
}

resource "kakiyo_webhook" "b" {
  name   = "Slack"
  url    = "https://hooks.example.com/slack"
  events = ["linkedin.message.received"]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: config, Check: func(*terraform.State) error { srv.ResetRequests(); return nil }},
			{
				PreConfig: srv.ResetRequests,
				Query:     true,
				Config: `
list "kakiyo_webhook" "all" {
  provider         = kakiyo
  include_resource = true
}

list "kakiyo_dnc_entry" "all" {
  provider = kakiyo
  limit    = 5000
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("kakiyo_webhook.all", 2),
					querycheck.ExpectIdentity("kakiyo_webhook.all", identityOf(kakiyotest.WebhookID(1))),
					querycheck.ExpectIdentity("kakiyo_webhook.all", identityOf(kakiyotest.WebhookID(2))),
					querycheck.ExpectResourceKnownValues("kakiyo_webhook.all", queryfilter.ByDisplayName(knownvalue.StringExact("Slack (https://hooks.example.com/slack)")),
						[]querycheck.KnownValueCheck{{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(true)},
							{Path: tfjsonpath.New("events"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("linkedin.message.received")})}}),
					querycheck.ExpectLength("kakiyo_dnc_entry.all", 1200),
					querycheck.ExpectIdentity("kakiyo_dnc_entry.all", map[string]knownvalue.Check{"url": knownvalue.StringExact("https://linkedin.com/in/person-0042")}),
				},
			},
			{
				// Two webhooks in pages of one (two calls), 1,200 entries in
				// pages of 1,000 (two calls).
				PreConfig: func() {
					var queries []string
					for _, r := range srv.Requests() {
						if r.Endpoint == "GET /dnc" {
							queries = append(queries, r.Query)
						}
					}
					if !slices.Equal(queries, []string{"limit=1000", "limit=1000&offset=1000"}) {
						t.Errorf("DNC listing queries %q", queries)
					}
					assertEndpoints(t, srv, calls{"GET /webhooks": 2, "GET /dnc": 2})
				},
				Config: config,
			},
		},
	})
}

// kakiyo_webhook_test (Terraform 1.14 and later), from a lifecycle
// action_trigger after the webhook is created: one POST /webhooks/test,
// delivered to the active webhooks; an event the test endpoint does not know
// is refused, naming the ones it knows; a disabled webhook is named before
// any test is sent.
func TestAccWebhookTestAction(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := func(event, webhookID string) string {
		return providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_webhook" "crm" {
  name   = "CRM"
  url    = "https://crm.example.com/hook"
  events = ["*"]
}

# After the webhook exists: its id is part of the input.
resource "terraform_data" "trigger" {
  input = "${kakiyo_webhook.crm.id} %s"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.kakiyo_webhook_test.ping]
    }
  }
}

action "kakiyo_webhook_test" "ping" {
  config {
    event      = %q
    webhook_id = %s
  }
}
`, event+" "+strings.ReplaceAll(webhookID, `"`, ""), event, webhookID)
	}
	id := kakiyotest.WebhookID(1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				Config: config("prospect.qualified", "null"),
				Check: func(*terraform.State) error {
					tests := srv.WebhookTests()
					if len(tests) != 1 || tests[0].Event != "prospect.qualified" || !slices.Equal(tests[0].WebhookIDs, []string{id}) {
						return fmt.Errorf("tests sent: %+v", tests)
					}
					return checkEndpoints(srv, calls{"POST /webhooks": 1, "POST /webhooks/test": 1})
				},
			},
			{
				PreConfig:   srv.ResetRequests,
				Config:      config("linkedin.message.sent", "null"),
				ExpectError: errorRe("Kakiyo refused the test event", `"linkedin.message.sent"`, "Invalid Event Type", `Kakiyo's test endpoint knows: "prospect.qualified"`),
			},
			{
				// A webhook made in the dashboard, which Kakiyo disabled.
				PreConfig: func() {
					other := srv.AddWebhook("Old CRM", "https://old.example.com/hook", "*")
					srv.DisableWebhook(other)
				},
				Config:      config("prospect.qualified", fmt.Sprintf("%q", kakiyotest.WebhookID(2))),
				ExpectError: errorRe("Kakiyo webhook disabled", kakiyotest.WebhookID(2), "https://old.example.com/hook", "No test was sent"),
			},
			{
				Config:      config("prospect.qualified", `"nope"`),
				ExpectError: errorRe("Kakiyo webhook not found", `no webhook "nope" (2 webhooks listed)`),
			},
		},
	})
	// Only the first invocation reached POST /webhooks/test successfully.
	if n := len(srv.WebhookTests()); n != 1 {
		t.Errorf("%d test deliveries, want 1", n)
	}
}
