package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

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
