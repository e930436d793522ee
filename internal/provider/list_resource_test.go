package provider

import (
	"context"
	"fmt"
	"path/filepath"
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
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
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

// Through the real CLI and the provider binary, with the examples as
// written (Terraform 1.14 and later; the testing framework can pass neither
// -invoke nor -generate-config-out):
//   - terraform apply -invoke=action.kakiyo_webhook_test.crm sends one test;
//   - terraform query -generate-config-out with the webhook and DNC list
//     resources writes what adopts the team's webhooks and entries, and the
//     plan that follows imports them with no change.
func TestAccWebhookAndDNC_cli(t *testing.T) {
	cli := terraformAtLeast(t, tfversion.Version1_14_0)
	srv := kakiyotest.Start(t)
	bin, err := sandbox.BuildProvider(context.Background(), filepath.Join("..", ".."), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	run := func(sb *sandbox.Sandbox, args ...string) string {
		t.Helper()
		r := sb.Run(context.Background(), args...)
		if r.Err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), r.Err, r.Output)
		}
		return r.Output
	}

	sb, err := sandbox.New(cli, bin, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	config := requiredProviders + "\nprovider \"kakiyo\" {}\n" + readExample(t, "resources/kakiyo_webhook/resource.tf") +
		readExample(t, "actions/kakiyo_webhook_test/action.tf")
	if err := sb.WriteFile("main.tf", config); err != nil {
		t.Fatal(err)
	}
	run(sb, "apply", "-auto-approve", "-no-color")
	srv.ResetRequests()
	out := run(sb, "apply", "-auto-approve", "-no-color", "-invoke=action.kakiyo_webhook_test.crm")
	if tests := srv.WebhookTests(); len(tests) != 1 || tests[0].Event != "prospect.qualified" || len(tests[0].WebhookIDs) != 1 {
		t.Errorf("tests: %+v\n%s", tests, out)
	}
	// The plan's refresh (one listing), the webhook_id check (one listing:
	// the action runs in the apply, another run), the test (one call).
	if err := checkEndpoints(srv, calls{"GET /webhooks": 2, "POST /webhooks/test": 1}); err != nil {
		t.Error(err)
	}

	// Someone else's team set up in the dashboard, adopted by query.
	srv.AddDNCOutOfBand("", "in/jane-doe")
	srv.AddDNCOutOfBand("", "in/john-smith")
	adopt, err := sandbox.New(cli, bin, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer adopt.Close()
	if err := adopt.WriteFile("main.tf", requiredProviders+"\nprovider \"kakiyo\" {}\n"); err != nil {
		t.Fatal(err)
	}
	if err := adopt.WriteFile("all.tfquery.hcl", readExample(t, "list-resources/kakiyo_webhook/list-resource.tfquery.hcl")+
		readExample(t, "list-resources/kakiyo_dnc_entry/list-resource.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	q := run(adopt, "query", "-generate-config-out=generated.tf", "-no-color")
	if strings.Count(q, "list.kakiyo_webhook.all") != 1 || strings.Count(q, "list.kakiyo_dnc_entry.all") != 2 {
		t.Fatalf("terraform query:\n%s", q)
	}
	p := run(adopt, "plan", "-no-color")
	if !strings.Contains(p, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("terraform plan of the generated configuration:\n%s", p)
	}
	// The query: one listing of each; the plan's imports: one listing of
	// webhooks, and the two entries from one check each.
	if err := checkEndpoints(srv, calls{"GET /webhooks": 2, "GET /dnc": 1, "GET /dnc/check": 2}); err != nil {
		t.Error(err)
	}
	run(sb, "destroy", "-auto-approve", "-no-color")
	if n := srv.WebhookCount(); n != 0 {
		t.Errorf("%d webhooks after destroy", n)
	}
}
