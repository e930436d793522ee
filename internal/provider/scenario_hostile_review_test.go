package provider

// The adversarial review of the hostile world (issue #21): what a hostile
// network, a misconfigured pipeline and an impatient user broke through the
// CLI before the review's mends, each test asserting the promise.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// A proxy answering GET /webhooks once with 200 [] (an empty JSON array, a
// shape Kakiyo's lists may have): the webhook, read only from listings, is
// gone only if a second listing confirms it, which shows it: it stays in
// the state, and the apply creates no second webhook. Promise 1.
func TestAccHostile_emptyListingKeepsWebhook(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := providerBlock(srv) + `
resource "kakiyo_webhook" "crm" {
  name   = "CRM"
  url    = "https://hooks.example.com/kakiyo"
  events = ["linkedin.message.received"]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.InjectFault("GET", "/webhooks", kakiyotest.Fault{Status: http.StatusOK, Body: `[]`, Times: 1})
				},
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("kakiyo_webhook.crm", "id", kakiyotest.WebhookID(1)),
					func(*terraform.State) error {
						if n := srv.WebhookCount(); n != 1 {
							return fmt.Errorf("%d webhooks in Kakiyo, want 1 (one was made twice)", n)
						}
						return nil
					}),
			},
		},
	})
}

// The same for a workspace (listing-only too): GET /workspaces answered
// 200 [] once; the workspace stays, none is created twice.
func TestAccHostile_emptyListingKeepsWorkspace(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := providerBlock(srv) + `
resource "kakiyo_workspace" "acme" {
  name = "Acme"
}
`
	var first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error {
				first = s.RootModule().Resources["kakiyo_workspace.acme"].Primary.ID
				return nil
			}},
			{
				PreConfig: func() {
					srv.InjectFault("GET", "/workspaces", kakiyotest.Fault{Status: http.StatusOK, Body: `[]`, Times: 1})
				},
				Config: config,
				Check: func(s *terraform.State) error {
					if got := s.RootModule().Resources["kakiyo_workspace.acme"].Primary.ID; got != first {
						return fmt.Errorf("the state's workspace is %s, was %s", got, first)
					}
					if n := srv.WorkspaceCount(); n != 1 {
						return fmt.Errorf("%d workspaces in Kakiyo, want 1 (one was made twice)", n)
					}
					return nil
				},
			},
		},
	})
}

// A proxy answering GET /dnc/check with 200 {} (no "entry", no "onList"):
// not Kakiyo's answer, so the plan fails and the entry stays in the state
// (the next plan, with Kakiyo's answers, is empty). Promise 1.
func TestAccHostile_dncCheckWithoutOnListKeepsEntry(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := dncEntryConfig(srv, "https://linkedin.com/in/jane-doe")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.InjectFault("GET", "/dnc/check", kakiyotest.Fault{Status: http.StatusOK, Body: `{}`})
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Unexpected response from Kakiyo`),
			},
			{PreConfig: srv.ClearFaults, Config: config, PlanOnly: true},
		},
	})
}

// A catch-all server (a mock, a gateway) as base_url: GET /verify answers
// 200 {} (no "status"), every other path Kakiyo's 404 not_found. That is
// not GET /verify's documented success, so the base URL is not trusted: the
// plan fails as with a wrong base URL, and the agent stays in the state.
// Promise 1.
func TestAccHostile_catchAllVerifyIsNotTrusted(t *testing.T) {
	srv := kakiyotest.Start(t)
	catchAll := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/verify" {
			_, _ = w.Write([]byte(`{}`))
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"not_found","message":"Not found"}`))
	}))
	t.Cleanup(catchAll.Close)
	agent := `
resource "kakiyo_agent" "a" {}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: providerBlock(srv) + agent},
			{
				Config:      providerAt(catchAll.URL) + agent,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`does not answer as the Kakiyo API|not the Kakiyo API`),
			},
			{Config: providerBlock(srv) + agent, Check: stateAgents(srv, 1)},
			{PreConfig: endAll(t, srv), Config: providerBlock(srv) + agent},
		},
	})
}

// An error answer that echoes what was sent (a validation message that
// quotes the input, a WAF or proxy page that shows the request): neither a
// write-only value (the webhook's secret_wo, the LinkedIn password_wo) nor
// the API key appears in the output, in -json output or in TF_LOG_PATH.
// Promise 3. (The write-only cases need Terraform 1.11; the API key's case
// runs on every CLI.)
func TestAccHostile_echoedSecretsAreNotPrinted(t *testing.T) {
	const whSecret, liPassword = "WEBHOOK-SECRET-VALUE-1", "LITERAL-LINKEDIN-PASSWORD"
	webhook := `resource "kakiyo_webhook" "crm" {
  name              = "CRM"
  url               = "https://hooks.example.com/kakiyo"
  events            = ["linkedin.message.received"]
  secret_wo         = "` + whSecret + `"
  secret_wo_version = 1
}`
	agent := `resource "kakiyo_agent" "a" {
  linkedin = {
    login               = "jane@example.com"
    password_wo         = "` + liPassword + `"
    password_wo_version = 1
  }
}`
	cases := map[string]struct {
		method, path, body string
		fault              kakiyotest.Fault
		secret             string
	}{
		"webhook secret quoted by a 400 message": {"POST", "/webhooks", webhook, kakiyotest.Fault{Status: 400,
			Body: `{"error":"validation_error","message":"secret \"` + whSecret + `\" is too weak"}`}, whSecret},
		"webhook secret in a proxy's 400 page": {"POST", "/webhooks", webhook, kakiyotest.Fault{Status: 400,
			Header: map[string]string{"Content-Type": "text/html"},
			Body:   `<html>Request rejected: {"secret":"` + whSecret + `"}</html>`}, whSecret},
		"LinkedIn password quoted by a 401 message": {"POST", "/agents/" + kakiyotest.AgentID(1) + "/setup", agent,
			kakiyotest.Fault{Status: 401, Body: `{"error":"invalid_credentials","message":"LinkedIn refused ` +
				`jane@example.com / ` + liPassword + `"}`}, liPassword},
		"API key quoted by a 401 message": {"GET", "/agents", `data "kakiyo_agents" "all" {}`, kakiyotest.Fault{
			Status: 401, Body: `{"error":"invalid_api_key","message":"key ` + kakiyotest.DefaultAPIKey + ` is revoked"}`},
			kakiyotest.DefaultAPIKey},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.secret != kakiyotest.DefaultAPIKey && !cliAtLeast(t, "1.11.0") {
				// An older CLI refuses a write-only argument itself, and prints
				// the configuration's line with it (its own diagnostic).
				t.Skip("write-only attributes need Terraform 1.11 or OpenTofu 1.11")
			}
			srv := kakiyotest.Start(t)
			srv.InjectFault(tc.method, tc.path, tc.fault)
			sb := newSandbox(t, srv, requiredProviders+"\nprovider \"kakiyo\" {\n  retry_wait_min = \"1ms\"\n  retry_wait_max = \"20ms\"\n}\n\n"+tc.body+"\n")
			logPath := sb.Dir + "/tf.log"
			sb.Setenv("TF_LOG", "DEBUG")
			sb.Setenv("TF_LOG_PATH", logPath)
			for _, args := range [][]string{{"apply", "-auto-approve", "-no-color"}, {"apply", "-auto-approve", "-json"}} {
				r := sb.Run(context.Background(), args...)
				if r.Err == nil {
					t.Fatalf("%v succeeded:\n%s", args, r.Output)
				}
				if strings.Contains(r.Output, tc.secret) {
					t.Errorf("%v: the output shows the secret %s:\n%s", args, tc.secret, r.Output)
				}
			}
			if data, err := os.ReadFile(logPath); err != nil {
				t.Error(err)
			} else if n := strings.Count(string(data), tc.secret); n > 0 {
				t.Errorf("TF_LOG_PATH holds the secret %d times", n)
			}
		})
	}
}

// A proxy that forwards POST /webhooks (Kakiyo creates the webhook) and
// answers 307: the create may have been handled, so a listing settles it
// and adopts the webhook Kakiyo made; the next apply creates no second
// one. Promise 2.
func TestAccHostile_createRedirectedAfterHandlingIsAdopted(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					f := kakiyotest.AnsweredNotTheObject(http.StatusTemporaryRedirect, "")
					f.Header = map[string]string{"Location": srv.URL() + "/webhooks"}
					srv.InjectFault("POST", "/webhooks", once(f))
				},
				Config: providerBlock(srv) + reviewWebhook,
				Check:  resource.TestCheckResourceAttr("kakiyo_webhook.crm", "id", kakiyotest.WebhookID(1)),
			},
			{
				Config: providerBlock(srv) + reviewWebhook,
				Check: func(*terraform.State) error {
					if n := srv.WebhookCount(); n != 1 {
						return fmt.Errorf("%d webhooks in Kakiyo, want 1 (made twice)", n)
					}
					return nil
				},
			},
		},
	})
}

// Kakiyo handles DELETE /agents/{id} (the agent is gone), and a proxy
// answers 307, or 429: the DELETE's outcome is unknown (307) or it is
// retried and settled by Kakiyo's not_found (429); either way the agent,
// gone from Kakiyo, has its export record.
func TestAccHostile_deleteAnsweredAfterHandlingKeepsRecord(t *testing.T) {
	for name, tc := range map[string]struct {
		f       kakiyotest.Fault
		wantErr *regexp.Regexp
	}{
		"307": {kakiyotest.Fault{Status: http.StatusTemporaryRedirect, AfterHandling: true, Times: 1,
			Header: map[string]string{"Location": "http://127.0.0.1:9/elsewhere"}}, regexp.MustCompile(`redirect`)},
		// Retried: the second DELETE's not_found says the agent is gone.
		"429 from a proxy": {kakiyotest.Fault{Status: http.StatusTooManyRequests, AfterHandling: true, Times: 1,
			Header: map[string]string{"Content-Type": "text/html"}, Body: "<html>slow down</html>"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			dir := t.TempDir() + "/exports"
			id := kakiyotest.AgentID(1)
			config := exportConfig(srv, dir, 1)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							endAgents(t, srv, id)()
							srv.InjectFault("DELETE", "/agents/"+id, tc.f)
						},
						Config:      config,
						Destroy:     true,
						ExpectError: tc.wantErr,
					},
					{
						Config:  config,
						Destroy: true,
						Check: func(*terraform.State) error {
							if ids := srv.AgentIDs(); len(ids) != 0 {
								return fmt.Errorf("agents left in Kakiyo: %v", ids)
							}
							recs, err := records(dir)
							if err != nil {
								return err
							}
							if _, ok := recs[id]; !ok {
								return fmt.Errorf("agent %s is gone from Kakiyo and has no export record (records: %v)", id, recs)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// A proxy that drops the answers of POST /agents after Kakiyo handled them
// and answers GET /agents with 200 []: nothing in the run proves that
// listing to be Kakiyo's, so it does not settle the lost answer; the create
// is not sent again, the apply fails, and Kakiyo has made one agent, not
// three. Promise 2: nothing is bought twice.
func TestAccHostile_unprovenEmptyListingDoesNotResend(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/agents", kakiyotest.Fault{Reset: true, AfterHandling: true})
					srv.InjectFault("GET", "/agents", kakiyotest.Fault{Status: http.StatusOK, Body: `[]`})
				},
				Config:      providerBlock(srv) + `resource "kakiyo_agent" "a" {}`,
				ExpectError: regexp.MustCompile(`.`),
			},
			{
				PreConfig: func() {
					if ids := srv.AgentIDs(); len(ids) > 1 {
						t.Errorf("Kakiyo made %d agents for one resource: %v", len(ids), ids)
					}
				},
				Config:   providerBlock(srv) + `resource "kakiyo_agent" "a" {}`,
				PlanOnly: true, ExpectNonEmptyPlan: true,
			},
		},
	})
}

// From the review of #21: POST /webhooks handled by Kakiyo, then answered
// with a 303 See Other (or a 302) to the listing, as a server does after a
// POST that created something: the redirect is not followed, the answer
// counts as lost, and the listing adopts the webhook Kakiyo made. One POST,
// one listing, one webhook.
func TestAccHostile_createAnsweredSeeOther(t *testing.T) {
	for _, status := range []int{http.StatusSeeOther, http.StatusFound} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := kakiyotest.Start(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig: func() {
							f := kakiyotest.AnsweredNotTheObject(status, "")
							f.Header = map[string]string{"Location": srv.URL() + "/webhooks"}
							srv.InjectFault("POST", "/webhooks", once(f))
						},
						Config: providerBlock(srv) + reviewWebhook,
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttr("kakiyo_webhook.crm", "id", kakiyotest.WebhookID(1)),
							func(*terraform.State) error {
								if n := srv.WebhookCount(); n != 1 {
									return fmt.Errorf("%d webhooks in Kakiyo, want 1", n)
								}
								return checkEndpoints(srv, calls{"POST /webhooks": 1, "GET /webhooks": 1})
							}),
					},
				},
			})
		})
	}
}

const reviewWebhook = `
resource "kakiyo_webhook" "crm" {
  name   = "CRM"
  url    = "https://hooks.example.com/kakiyo"
  events = ["linkedin.message.received"]
}
`
