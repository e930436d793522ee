package provider

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

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
