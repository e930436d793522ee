package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

const webhookAddr = "kakiyo_webhook.crm"

func webhookConfig(srv *kakiyotest.TestServer, name, url string, events ...string) string {
	quoted := make([]string, len(events))
	for i, e := range events {
		quoted[i] = fmt.Sprintf("%q", e)
	}
	return providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_webhook" "crm" {
  name   = %q
  url    = %q
  events = [%s]
}
`, name, url, joinComma(quoted))
}

func joinComma(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

// checkWebhook is a state check of the webhook's attributes.
func checkWebhook(id, name, url string, events ...string) []statecheck.StateCheck {
	evs := make([]knownvalue.Check, len(events))
	for i, e := range events {
		evs[i] = knownvalue.StringExact(e)
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
		statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact(url)),
		statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("events"), knownvalue.SetExact(evs)),
		statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("secret_wo"), knownvalue.Null()),
		statecheck.ExpectIdentity(webhookAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
	}
}

// A webhook's life: create (one POST), a plan with no change (one listing),
// import, an in-place change (one PUT), Kakiyo disabling it (the plan shows
// active false -> true, the apply re-enables it), an out-of-band deletion
// (re-created), and a destroy (one DELETE).
func TestAccWebhookResource_lifecycle(t *testing.T) {
	srv := kakiyotest.Start(t)
	id, id2 := kakiyotest.WebhookID(1), kakiyotest.WebhookID(2)
	v1 := webhookConfig(srv, "CRM", "https://crm.example.com/kakiyo", "linkedin.message.received", "prospect.qualification.manual")
	v2 := webhookConfig(srv, "CRM inbox", "https://crm.example.com/kakiyo/v2", "*")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy: func(*terraform.State) error {
			if n := srv.WebhookCount(); n != 0 {
				return fmt.Errorf("%d webhooks left", n)
			}
			return checkEndpoints(srv, calls{"GET /webhooks": 1, "DELETE /webhooks/{id}": 1})
		},
		Steps: []resource.TestStep{
			{
				Config: v1,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: checkWebhook(id, "CRM", "https://crm.example.com/kakiyo",
					"linkedin.message.received", "prospect.qualification.manual"),
				// One POST, nothing else.
				Check: func(*terraform.State) error { return checkEndpoints(srv, calls{"POST /webhooks": 1}) },
			},
			{
				Config:   v1,
				PlanOnly: true,
			},
			{
				// Then one listing for the plan after the apply, one for the
				// plan-only step.
				PreConfig:         func() { assertEndpoints(t, srv, calls{"POST /webhooks": 1, "GET /webhooks": 2}) },
				ResourceName:      webhookAddr,
				ImportState:       true,
				ImportStateId:     id,
				ImportStateVerify: true,
			},
			{
				PreConfig: func() { srv.ResetRequests() },
				Config:    v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: checkWebhook(id, "CRM inbox", "https://crm.example.com/kakiyo/v2", "*"),
				Check: func(*terraform.State) error {
					defer srv.ResetRequests()
					w, _ := srv.Webhook(id)
					if w.Name != "CRM inbox" || !slices.Equal(w.Events, []string{"*"}) || w.Secret != "" {
						return fmt.Errorf("webhook in Kakiyo: %+v", w)
					}
					// The plan's refresh, the PUT.
					return checkEndpoints(srv, calls{"GET /webhooks": 1, "PUT /webhooks/{id}": 1})
				},
			},
			{
				// Kakiyo disabled it after failed deliveries: the plan says so,
				// and the apply re-enables it.
				PreConfig: func() { srv.DisableWebhook(id) },
				Config:    v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: checkWebhook(id, "CRM inbox", "https://crm.example.com/kakiyo/v2", "*"),
				Check: func(*terraform.State) error {
					if w, _ := srv.Webhook(id); !w.Active {
						return fmt.Errorf("webhook not re-enabled: %+v", w)
					}
					return nil
				},
			},
			{
				// Deleted in the dashboard: the refresh notices, the plan
				// creates it again.
				PreConfig: func() { srv.DeleteWebhookOutOfBand(id) },
				Config:    v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: checkWebhook(id2, "CRM inbox", "https://crm.example.com/kakiyo/v2", "*"),
				Check:             func(*terraform.State) error { srv.ResetRequests(); return nil },
			},
		},
	})
}

// The secret is write-only: sent on create and when its version changes,
// never in the plan or the state.
func TestAccWebhookResource_secret(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.WebhookID(1)
	const s1, s2 = "first-s3cret-value", "second-s3cret-value"
	// The secret comes in as users should pass it: an ephemeral, sensitive
	// variable, which Terraform keeps out of plan files.
	hcl := func(name string, version int) string {
		return `
variable "webhook_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
` + providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_webhook" "crm" {
  name              = %q
  url               = "https://crm.example.com/kakiyo"
  events            = ["*"]
  secret_wo         = var.webhook_secret
  secret_wo_version = %d
}
`, name, version)
	}
	vars := func(secret string) config.Variables {
		return config.Variables{"webhook_secret": config.StringVariable(secret)}
	}
	secretIs := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if w, _ := srv.Webhook(id); w.Secret != want {
				return fmt.Errorf("Kakiyo holds the secret %q, want %q", w.Secret, want)
			}
			return nil
		}
	}
	kept := []statecheck.StateCheck{noSecret{s1, "the webhook secret"}, noSecret{s2, "the webhook secret"},
		statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("secret_wo"), knownvalue.Null())}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: providerBlock(srv) + `
resource "kakiyo_webhook" "crm" {
  name              = "CRM"
  url               = "https://crm.example.com/kakiyo"
  events            = ["*"]
  secret_wo_version = 3
}
`,
				ExpectError: errorRe("secret_wo_version without secret_wo", "Set secret_wo"),
			},
			{
				Config: hcl("CRM", 1), ConfigVariables: vars(s1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{noSecret{s1, "the webhook secret"}},
				},
				ConfigStateChecks: append(kept,
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("secret_wo_version"), knownvalue.Int64Exact(1))),
				Check: secretIs(s1),
			},
			{
				// Another secret with the same version: nothing to do.
				Config: hcl("CRM", 1), ConfigVariables: vars(s2),
				PlanOnly: true,
			},
			{
				Config: hcl("CRM", 2), ConfigVariables: vars(s2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
						noSecret{s2, "the webhook secret"}},
				},
				ConfigStateChecks: kept,
				Check:             secretIs(s2),
			},
			{
				// A change that is not the secret's leaves it alone.
				Config: hcl("CRM renamed", 2), ConfigVariables: vars(s1),
				ConfigStateChecks: kept,
				Check:             secretIs(s2),
			},
		},
	})
}

// Before Terraform 1.11 a write-only secret cannot be set: Terraform says
// so and nothing is created.
func TestAccWebhookResource_secretNeedsTerraform111(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipFrom(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + `
resource "kakiyo_webhook" "crm" {
  name      = "CRM"
  url       = "https://crm.example.com/kakiyo"
  events    = ["*"]
  secret_wo = "s3cret"
}
`,
			ExpectError: errorRe("WriteOnly Attribute Not Allowed", "secret_wo", "Terraform 1.11 and later"),
		}},
	})
	if n := srv.WebhookCount(); n != 0 {
		t.Errorf("%d webhooks created", n)
	}
}

// The same life on every CLI, without identity (Terraform 1.5 to 1.11):
// create, import, disappear, destroy.
func TestAccWebhookResource_everyCLI(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.WebhookID(1)
	config := webhookConfig(srv, "CRM", "https://crm.example.com/kakiyo", "linkedin.invitation.accepted")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := srv.WebhookCount(); n != 0 {
				return fmt.Errorf("%d webhooks left", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(webhookAddr, "id", id),
					resource.TestCheckResourceAttr(webhookAddr, "active", "true"),
					resource.TestCheckTypeSetElemAttr(webhookAddr, "events.*", "linkedin.invitation.accepted"),
				),
			},
			{ResourceName: webhookAddr, ImportState: true, ImportStateId: id, ImportStateVerify: true},
			{
				Config: config,
				Check: func(*terraform.State) error {
					srv.DeleteWebhookOutOfBand(id)
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check:  resource.TestCheckResourceAttr(webhookAddr, "id", kakiyotest.WebhookID(2)),
			},
		},
	})
}

// What Kakiyo has not documented, each way it may be: the create's answer
// wrapped or reduced to an id, the list under another key or paged, and an
// update that takes PATCH only.
func TestAccWebhookResource_undocumentedShapes(t *testing.T) {
	for name, setup := range map[string]func(*kakiyotest.Server){
		"wrapped create, bare array list": func(s *kakiyotest.Server) {
			s.SetWebhookCreateResponse(kakiyotest.WebhookCreateWrapped)
			s.SetWebhookList(kakiyotest.ListBareArray, kakiyotest.PagingNone, 0)
		},
		"id-only create, data list paged by cursor": func(s *kakiyotest.Server) {
			s.SetWebhookCreateResponse(kakiyotest.WebhookCreateIDOnly)
			s.SetWebhookList(kakiyotest.ListDataKey, kakiyotest.PagingCursor, 1)
		},
		"update by PATCH only, offset paging": func(s *kakiyotest.Server) {
			s.SetWebhookUpdate(true, false)
			s.SetWebhookList(kakiyotest.ListItemsKey, kakiyotest.PagingOffset, 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			setup(srv.Server)
			// Someone else's webhook, so that pages hold more than ours.
			other := providerBlock(srv) + `
resource "kakiyo_webhook" "other" {
  name   = "Other"
  url    = "https://other.example.com/hook"
  events = ["message.sent"]
}
`
			config := other + `
resource "kakiyo_webhook" "crm" {
  name   = "CRM"
  url    = "https://crm.example.com/kakiyo"
  events = ["linkedin.message.sent"]
}
`
			changed := other + `
resource "kakiyo_webhook" "crm" {
  name   = "CRM"
  url    = "https://crm.example.com/kakiyo"
  events = ["linkedin.message.sent", "linkedin.message.received"]
}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config, Check: resource.TestCheckResourceAttr(webhookAddr, "name", "CRM")},
					{Config: config, PlanOnly: true},
					{
						Config: changed,
						Check: func(s *terraform.State) error {
							w, _ := srv.Webhook(s.RootModule().Resources[webhookAddr].Primary.ID)
							if len(w.Events) != 2 || w.Name != "CRM" {
								return fmt.Errorf("webhook in Kakiyo: %+v", w)
							}
							return nil
						},
					},
					{Config: changed, PlanOnly: true},
				},
			})
		})
	}
}

// Kakiyo refuses to re-enable through the API: the rest applies, a warning
// says what to do, and the state keeps active = false (so the plan keeps
// showing it).
func TestAccWebhookResource_reenableRefused(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetWebhookUpdate(false, true)
	id := kakiyotest.WebhookID(1)
	config := webhookConfig(srv, "CRM", "https://crm.example.com/kakiyo", "*")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:   func() { srv.DisableWebhook(id); srv.ResetRequests() },
				Config:      config,
				ExpectError: errorRe("Kakiyo webhook still disabled", "refused to re-enable it", "re-enable the webhook in the Kakiyo dashboard"),
			},
			{
				PreConfig: func() {
					// The refused PUT with active, then the PUT of the rest.
					n := 0
					for _, r := range srv.Requests() {
						if r.Endpoint == "PUT /webhooks/{id}" {
							n++
						}
					}
					if n != 2 {
						t.Errorf("%d PUTs, want 2", n)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				Check:              resource.TestCheckResourceAttr(webhookAddr, "active", "false"),
			},
		},
	})
}

// Errors name the value at fault: a URL that is not HTTPS (at plan time),
// an event Kakiyo refuses, another team's webhook.
func TestAccWebhookResource_errors(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetWebhookStrictEvents(true)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      webhookConfig(srv, "CRM", "http://crm.example.com/kakiyo", "*"),
				ExpectError: errorRe("Webhook URL must use HTTPS", `"http://crm.example.com/kakiyo" uses http://`, "https://crm.example.com/kakiyo"),
			},
			{
				Config:      webhookConfig(srv, "CRM", "crm.example.com", "*"),
				ExpectError: errorRe("Invalid webhook URL", "not an absolute URL"),
			},
			{
				Config:      webhookConfig(srv, "CRM", "https://crm.example.com/kakiyo", "linkedin.mesage.sent"),
				ExpectError: errorRe("Kakiyo rejected the webhook settings", "HTTP status: 400", "Invalid Event Type: linkedin.mesage.sent"),
			},
			{
				Config:      webhookConfig(srv, "CRM", "https://crm.example.com/kakiyo"),
				ExpectError: regexp.MustCompile(`(?s)events.*at least 1`),
			},
		},
	})
	if n := srv.WebhookCount(); n != 0 {
		t.Errorf("%d webhooks created", n)
	}
}

// A create whose answer is lost: Kakiyo made the webhook, the listing shows
// it, and it is adopted, not made twice. When Kakiyo made nothing, the create
// is sent once more, and a lost answer to that one is settled the same way.
func TestAccWebhookResource_lostCreateAnswer(t *testing.T) {
	lost := kakiyotest.Fault{Status: http.StatusBadGateway, Body: "<html>502</html>", AfterHandling: true, Times: 1}
	notMade := kakiyotest.Fault{Status: http.StatusBadGateway, Body: "<html>502</html>", Times: 1}
	for _, tc := range []struct {
		name         string
		faults       []kakiyotest.Fault
		posts, lists int
	}{
		{"made", []kakiyotest.Fault{lost}, 1, 1},
		{"not made", []kakiyotest.Fault{notMade}, 2, 1},
		{"not made, then made and lost again", []kakiyotest.Fault{notMade, lost}, 2, 2},
		{"not made twice", []kakiyotest.Fault{notMade, notMade}, 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			for _, f := range tc.faults {
				srv.InjectFault("POST", "/webhooks", f)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: webhookConfig(srv, "CRM", "https://crm.example.com/kakiyo", "*"),
					Check: func(*terraform.State) error {
						if n := srv.WebhookCount(); n != 1 {
							return fmt.Errorf("%d webhooks in Kakiyo, want 1", n)
						}
						// The POSTs, and one listing after each lost answer.
						return checkEndpoints(srv, calls{"POST /webhooks": tc.posts, "GET /webhooks": tc.lists})
					},
				}},
			})
		})
	}
}

// Event names that no Kakiyo page lists are warned about, not refused;
// secret_wo_version without secret_wo is refused.
func TestWebhookValidateConfig(t *testing.T) {
	ctx := context.Background()
	r := &webhookResource{}
	cfg := resourceSchemaOf(t, r)
	typ := cfg.Schema.Type().TerraformType(ctx)
	for _, tc := range []struct {
		name     string
		events   []string
		version  *int64
		secret   string
		warnings []string
		errors   []string
	}{
		{name: "known events of every family", events: []string{"*", "linkedin.message.sent", "prospect.unqualified", "campaign.completed"}},
		{name: "a typo", events: []string{"linkedin.mesage.sent", "message.sent"},
			warnings: []string{`No Kakiyo page lists the event "linkedin.mesage.sent"`, `"linkedin.message.sent"`}},
		{name: "a version without a secret", events: []string{"*"}, version: ptrInt(2),
			errors: []string{"secret_wo_version says when to send secret_wo again"}},
		{name: "a version with a secret", events: []string{"*"}, version: ptrInt(2), secret: "s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals := map[string]tftypes.Value{"name": str("CRM"), "url": str("https://x.example.com"),
				"events": stringSet(attrType(t, typ, "events"), tc.events...)}
			if tc.version != nil {
				vals["secret_wo_version"] = tftypes.NewValue(tftypes.Number, *tc.version)
			}
			if tc.secret != "" {
				vals["secret_wo"] = str(tc.secret)
			}
			cfg.Raw = objectOf(typ, vals)
			var resp fwresource.ValidateConfigResponse
			r.ValidateConfig(ctx, fwresource.ValidateConfigRequest{Config: cfg}, &resp)
			var warnings, errs []string
			for _, d := range resp.Diagnostics {
				if d.Severity() == diag.SeverityError {
					errs = append(errs, d.Detail())
				} else {
					warnings = append(warnings, d.Detail())
				}
			}
			expectAll(t, "warnings", warnings, tc.warnings)
			expectAll(t, "errors", errs, tc.errors)
		})
	}
}
