package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// The guides' examples (examples/guides/<guide>/), each applied, queried
// or planned as its guide says. What the testing framework cannot drive
// (terraform query, modules from a directory tree, the warnings of failed
// checks) runs through the real CLI in a sandbox.

func readGuide(t *testing.T, guide, file string) string {
	t.Helper()
	return readExample(t, filepath.Join("guides", guide, file))
}

// guideSandbox is a sandbox on the double with the provider built for the
// test, and the CLI of the acceptance tests (Terraform v or later).
func guideSandbox(t *testing.T, v *version.Version, srv *kakiyotest.TestServer) *sandbox.Sandbox {
	t.Helper()
	cli := terraformAtLeast(t, v)
	dir, err := sandbox.BuildProvider(context.Background(), filepath.Join("..", ".."), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(cli, dir, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

// tf runs terraform in the sandbox and fails the test if it fails.
func tf(t *testing.T, sb *sandbox.Sandbox, args ...string) string {
	t.Helper()
	r := sb.Run(context.Background(), append(args, "-no-color")...)
	if r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Output)
	}
	return r.Output
}

// ---- Adopt an existing Kakiyo team ------------------------------------------

// A team with agents, a webhook, a do-not-contact entry, a workspace and a
// campaign: terraform query -generate-config-out writes the configuration
// that adopts all of it, and plan and apply import it without a change.
func TestAccGuide_adoptWithQuery(t *testing.T) {
	srv := kakiyotest.Start(t)
	sb := guideSandbox(t, tfversion.Version1_14_0, srv)
	existingTeam(t, srv) // an agent, a webhook, a DNC entry, a workspace (with the agent and a client), a campaign
	srv.AddAgent(kakiyotest.AgentSeed{Status: "paused", Name: "Max"})
	srv.AddAgent(kakiyotest.AgentSeed{Status: "ended"})
	srv.ResetRequests()
	for _, f := range []string{"main.tf", "team.tfquery.hcl"} {
		if err := sb.WriteFile(f, readGuide(t, "adopt-existing-team", f)); err != nil {
			t.Fatal(err)
		}
	}
	q := tf(t, sb, "query", "-generate-config-out=generated.tf")
	for _, want := range []string{"list.kakiyo_agent.all", "list.kakiyo_webhook.all", "list.kakiyo_dnc_entry.all",
		"list.kakiyo_workspace.all", "list.kakiyo_campaign.all"} {
		if !strings.Contains(q, want) {
			t.Errorf("terraform query shows no %s:\n%s", want, q)
		}
	}
	if err := checkEndpoints(srv, calls{"GET /agents": 1, "GET /webhooks": 1, "GET /dnc": 1, "GET /workspaces": 1,
		"GET /campaigns": 1}); err != nil {
		t.Errorf("the query: %v", err)
	}
	srv.ResetRequests()
	if p := tf(t, sb, "plan"); !strings.Contains(p, "Plan: 7 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("terraform plan of the generated configuration:\n%s", p)
	}
	// One listing of each kind, the entry's check, the campaign's analytics.
	if err := checkEndpoints(srv, calls{"GET /agents": 1, "GET /webhooks": 1, "GET /dnc/check": 1, "GET /workspaces": 1,
		"GET /campaigns": 1, "GET /analytics/campaigns/{id}": 1}); err != nil {
		t.Errorf("the plan: %v", err)
	}
	if a := tf(t, sb, "apply", "-auto-approve"); !strings.Contains(a, "Apply complete! Resources: 7 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("terraform apply:\n%s", a)
	}
	if p := tf(t, sb, "plan"); !strings.Contains(p, "No changes.") {
		t.Errorf("plan after the adoption:\n%s", p)
	}
	for _, r := range srv.Requests() {
		if r.Method != "GET" {
			t.Errorf("the adoption sent %s %s", r.Method, r.Path)
		}
	}
}

// Before terraform query: the kakiyo_agents data source with import blocks
// and for_each adopts every agent that is not ended, with GETs only.
func TestAccGuide_adoptOlderCLI(t *testing.T) {
	srv := kakiyotest.Start(t)
	var adopted []string
	for _, st := range []string{"running", "ended", "paused", "auth_needed", "ended"} {
		id := srv.AddAgent(kakiyotest.AgentSeed{Status: st})
		if st != "ended" {
			adopted = append(adopted, id)
		}
	}
	config := providerBlock(srv) + readGuide(t, "adopt-existing-team", "older-cli.tf")
	checks := []statecheck.StateCheck{}
	for _, id := range adopted {
		checks = append(checks, statecheck.ExpectKnownValue(fmt.Sprintf("kakiyo_agent.team[%q]", id), tfjsonpath.New("id"), knownvalue.StringExact(id)))
	}
	forget := providerBlock(srv) + "\nremoved {\n  from = kakiyo_agent.team\n\n  lifecycle {\n    destroy = false\n  }\n}\n"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: append(checks, stateFunc(func() error {
					if n := srv.Count("*", "*") - srv.Count("GET", "*"); n != 0 {
						return fmt.Errorf("%d requests other than reads", n)
					}
					return nil
				})),
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			// Left to Kakiyo again, untouched (the offboarding guide's removed block).
			{Config: forget, ConfigStateChecks: []statecheck.StateCheck{stateFunc(func() error {
				if n := srv.Count("DELETE", "*"); n != 0 || len(srv.AgentIDs()) != 5 {
					return fmt.Errorf("%d DELETE, agents %v", n, srv.AgentIDs())
				}
				return nil
			})}},
		},
	})
}

// ---- Offboarding ---------------------------------------------------------

// removed.tf: a running agent leaves the state without a DELETE, with one
// read at most; it keeps running in Kakiyo.
func TestAccGuide_offboardingRemoved(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{Config: providerBlock(srv) + readExample(t, "resources/kakiyo_agent/resource.tf")},
			{
				PreConfig: func() { srv.SetAgentStatus(id, "running"); srv.ResetRequests() },
				Config:    providerBlock(srv) + readGuide(t, "offboarding", "removed.tf"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectForget{"kakiyo_agent.sales"}}},
				Check: func(*terraform.State) error {
					if a, ok := srv.Agent(id); !ok || a.Status != "running" {
						return fmt.Errorf("agent in Kakiyo: %+v, %v", a, ok)
					}
					// Terraform 1.11 and later send nothing, not even a read;
					// Terraform 1.8 and OpenTofu refresh the agent once.
					if srv.CountEndpoint("GET /agents/{id}") == 1 {
						return checkEndpoints(srv, calls{"GET /agents/{id}": 1})
					}
					return checkEndpoints(srv, calls{})
				},
			},
		},
	})
}

// ---- Costs and rate limits in CI -------------------------------------------

// provider.tf and agents.tf: three agents; a plan reads them from one
// listing.
func TestAccGuide_costs(t *testing.T) {
	srv := kakiyotest.Start(t)
	t.Setenv(EnvAPIKey, kakiyotest.DefaultAPIKey)
	t.Setenv(EnvBaseURL, srv.URL())
	config := requiredProviders + readGuide(t, "costs-and-rate-limits", "provider.tf") +
		readGuide(t, "costs-and-rate-limits", "agents.tf")
	ids := []string{kakiyotest.AgentID(1), kakiyotest.AgentID(2), kakiyotest.AgentID(3)}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(`kakiyo_agent.sales["apac"]`, tfjsonpath.New("working_hours").AtMapKey("stop"), knownvalue.StringExact("17:30")),
					// The run's listing (for lost answers), then the three creates.
					stateFunc(func() error {
						return checkEndpoints(srv, calls{"GET /agents": 1, "POST /agents": 3, "PUT /agents/{id}": 3, "GET /agents/{id}": 3})
					}),
				},
			},
			{
				PreConfig:         srv.ResetRequests,
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{stateFunc(func() error { return checkEndpoints(srv, calls{"GET /agents": 1}) })},
			},
			{PreConfig: endAgents(t, srv, ids...), Config: config, Destroy: true},
			checkAfterDestroy(t, func(*terraform.State) error {
				if left := srv.AgentIDs(); len(left) != 0 {
					return fmt.Errorf("agents left: %v", left)
				}
				return checkEndpoints(srv, calls{"GET /agents": 1, "DELETE /agents/{id}": 3})
			}),
		},
	})
}

// expectForget: the plan forgets the resource at addr (removed with
// destroy = false) and deletes nothing.
type expectForget struct{ addr string }

func (e expectForget) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change.Actions.Delete() || rc.Change.Actions.Replace() {
			resp.Error = fmt.Errorf("%s: actions %v", rc.Address, rc.Change.Actions)
			return
		}
		if rc.Address == e.addr && rc.Change.Actions.Forget() {
			return
		}
	}
	resp.Error = fmt.Errorf("the plan does not forget %s", e.addr)
}

// stateFunc is a state check of what the double saw (for configurations
// with for_each keyed by string, whose state the legacy Check cannot read).
type stateFunc func() error

func (f stateFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// copyGuide copies the files of examples/guides/<guide> (subdirectories
// included) into the sandbox.
func copyGuide(t *testing.T, sb *sandbox.Sandbox, guide string) {
	t.Helper()
	root := filepath.Join("..", "..", "examples", "guides", guide)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(sb.Dir, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(sb.Dir, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ---- An agency client, end to end -------------------------------------------

// The module, once per client: two workspaces, each with its contact
// invited, its agents assigned and a campaign per agent; a second plan
// changes nothing; the teardown lifts the protection, and the destroy
// deletes the workspaces and agents and pauses the campaigns.
func TestAccGuide_agencyClient(t *testing.T) {
	srv := kakiyotest.Start(t)
	sb := guideSandbox(t, tfversion.Version1_5_0, srv)
	srv.AddProduct("Kakiyo Pro", "LinkedIn outreach")
	srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
	copyGuide(t, sb, "agency-client")
	tf(t, sb, "get")
	if a := tf(t, sb, "apply", "-auto-approve"); !strings.Contains(a, "Apply complete! Resources: 13 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply:\n%s", a)
	}
	if n := srv.WorkspaceCount(); n != 2 {
		t.Errorf("%d workspaces", n)
	}
	byName := map[string]kakiyotest.WorkspaceState{}
	for j := 1; j <= 2; j++ {
		w, _ := srv.Workspace(kakiyotest.WorkspaceID(j))
		byName[w.Name] = w
	}
	for name, want := range map[string]struct {
		agents  int
		contact string
	}{"Acme Corp": {2, "jane.doe@acme.example"}, "Globex": {1, "max.muster@globex.example"}} {
		if w := byName[name]; len(w.Agents) != want.agents || len(w.Clients[want.contact]) != 1 {
			t.Errorf("workspace %s: %+v", name, w)
		}
	}
	if n, agents := srv.CampaignCount(), len(srv.AgentIDs()); n != 3 || agents != 3 {
		t.Errorf("%d campaigns, %d agents", n, agents)
	}
	srv.ResetRequests()
	if p := tf(t, sb, "plan"); !strings.Contains(p, "No changes.") {
		t.Errorf("second plan:\n%s", p)
	}
	// 13 resources, 2 data sources: one listing of each kind.
	if err := checkEndpoints(srv, calls{"GET /workspaces": 1, "GET /agents": 1, "GET /campaigns": 1, "GET /products": 1,
		"GET /prompts": 1}); err != nil {
		t.Errorf("second plan: %v", err)
	}
	r := sb.Run(context.Background(), "destroy", "-auto-approve", "-no-color")
	if r.Err == nil || !errorRe("deletion protection").MatchString(r.Output) {
		t.Errorf("destroy of protected workspaces: %v\n%s", r.Err, r.Output)
	}
	tf(t, sb, "apply", "-auto-approve", "-var", "protect_workspaces=false")
	for _, id := range srv.AgentIDs() {
		srv.SetAgentStatus(id, "ended")
	}
	tf(t, sb, "destroy", "-auto-approve")
	if srv.WorkspaceCount() != 0 || len(srv.AgentIDs()) != 0 {
		t.Errorf("left: %d workspaces, agents %v", srv.WorkspaceCount(), srv.AgentIDs())
	}
	for i := 1; i <= 3; i++ {
		if c, _ := srv.Campaign(kakiyotest.CampaignID(i)); c.Status != "paused" {
			t.Errorf("campaign %d: %+v", i, c)
		}
	}
}

// ---- Fleet health checks -----------------------------------------------------

// checkStatuses are the check blocks' statuses in a saved plan
// (terraform show -json), by address.
func checkStatuses(t *testing.T, sb *sandbox.Sandbox, plan string) map[string]string {
	t.Helper()
	out := sb.Run(context.Background(), "show", "-json", plan)
	if out.Err != nil {
		t.Fatalf("%v\n%s", out.Err, out.Output)
	}
	var shown struct {
		Checks []struct {
			Address struct {
				ToDisplay string `json:"to_display"`
			} `json:"address"`
			Status string `json:"status"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(out.Output), &shown); err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, out.Output)
	}
	got := map[string]string{}
	for _, c := range shown.Checks {
		got[c.Address.ToDisplay] = c.Status
	}
	return got
}

// checks.tf beside the agent, webhook and campaign examples: every check
// passes on a healthy team; when Kakiyo disables an agent, another raises
// alerts, the webhook is disabled and the campaign's response rate falls,
// a refresh-only plan (what a health assessment runs) fails each check
// with a warning that names the object, and succeeds; healed, they pass.
func TestAccGuide_fleetHealthChecks(t *testing.T) {
	srv := kakiyotest.Start(t)
	sb := guideSandbox(t, tfversion.Version1_5_0, srv)
	srv.AddProduct("Kakiyo Pro", "LinkedIn outreach")
	srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
	config := requiredProviders + "\nprovider \"kakiyo\" {}\n"
	for _, f := range []string{"resources/kakiyo_agent/resource.tf", "data-sources/kakiyo_products/data-source.tf",
		"data-sources/kakiyo_prompts/data-source.tf", "resources/kakiyo_webhook/resource.tf", "resources/kakiyo_campaign/resource.tf"} {
		config += readExample(t, f)
	}
	if err := sb.WriteFile("main.tf", config); err != nil {
		t.Fatal(err)
	}
	copyGuide(t, sb, "fleet-health-checks")
	const failed = "Check block assertion failed"
	if a := tf(t, sb, "apply", "-auto-approve"); strings.Contains(a, failed) {
		t.Fatalf("apply of a healthy team:\n%s", a)
	}
	all := []string{"check.no_disabled_agent", "check.sales_agent_healthy", "check.crm_webhook_active", "check.acme_q4_response_rate"}
	expectStatuses := func(want string) {
		t.Helper()
		got := checkStatuses(t, sb, "health.tfplan")
		for _, c := range all {
			if got[c] != want {
				t.Errorf("%s: %q, want %q (all: %v)", c, got[c], want, got)
			}
		}
	}
	tf(t, sb, "plan", "-refresh-only", "-out=health.tfplan")
	expectStatuses("pass")

	// Kakiyo's side goes wrong.
	sales := kakiyotest.AgentID(1)
	disabled := srv.AddAgent(kakiyotest.AgentSeed{Status: "disabled", Name: "Old agent"})
	srv.RemoveAgent(sales)
	srv.AddAgent(kakiyotest.AgentSeed{ID: sales, Status: "running", Alerts: []kakiyotest.Alert{
		{Type: "auth", SubType: "2fa_required", Message: "LinkedIn asks for a code", Severity: "warning"}}})
	srv.DisableWebhook(kakiyotest.WebhookID(1))
	srv.SetCampaignMetrics(kakiyotest.CampaignID(1), kakiyotest.CampaignMetricsSeed{Prospects: 120, Messages: 300, Answers: 6})
	srv.ResetRequests()
	p := tf(t, sb, "plan", "-refresh-only", "-out=health.tfplan")
	for _, want := range []string{
		"Kakiyo disabled these agents: " + disabled + ".",
		"Agent " + sales + " has alerts: 2fa_required: LinkedIn asks for a code.",
		"Kakiyo disabled webhook " + kakiyotest.WebhookID(1) + " (https://crm.example.com/hooks/kakiyo) after failed deliveries.",
		"Campaign Acme Q4 outreach answers at 5% over 120 prospects, under 10%.",
	} {
		if !errorRe(failed, want).MatchString(p) {
			t.Errorf("the refresh-only plan does not warn %q:\n%s", want, p)
		}
	}
	if n := strings.Count(p, "Warning: "+failed); n != 4 {
		t.Errorf("%d failed checks, want 4:\n%s", n, p)
	}
	expectStatuses("fail")
	// One listing of agents serves the disabled agents' data source, the
	// agent's refresh and its check; the campaign is read twice (its
	// refresh, the analytics data source).
	if err := checkEndpoints(srv, calls{"GET /agents": 1, "GET /webhooks": 1, "GET /products": 1, "GET /prompts": 1,
		"GET /analytics/campaigns/{id}": 2}); err != nil {
		t.Errorf("the health plan: %v", err)
	}

	// A normal plan warns too, but plans the webhook's re-enabling: its
	// check passes on the planned value.
	p = tf(t, sb, "plan")
	if !errorRe(failed, "Campaign Acme Q4 outreach answers at 5%").MatchString(p) || strings.Contains(p, "Kakiyo disabled webhook") {
		t.Errorf("normal plan:\n%s", p)
	}

	// Healed: the agents are fine again, the apply re-enables the webhook,
	// the campaign answers.
	srv.RemoveAgent(disabled)
	srv.RemoveAgent(sales)
	srv.AddAgent(kakiyotest.AgentSeed{ID: sales, Status: "running"})
	srv.SetCampaignMetrics(kakiyotest.CampaignID(1), kakiyotest.CampaignMetricsSeed{Prospects: 120, Messages: 300, Answers: 24})
	tf(t, sb, "apply", "-auto-approve")
	if w, _ := srv.Webhook(kakiyotest.WebhookID(1)); !w.Active {
		t.Errorf("webhook not re-enabled: %+v", w)
	}
	if p := tf(t, sb, "plan", "-refresh-only", "-out=health.tfplan"); strings.Contains(p, failed) {
		t.Errorf("healed, the plan still warns:\n%s", p)
	}
	expectStatuses("pass")

	srv.SetAgentStatus(sales, "ended")
	tf(t, sb, "destroy", "-auto-approve")
	if c, _ := srv.Campaign(kakiyotest.CampaignID(1)); c.Status != "paused" || srv.WebhookCount() != 0 || len(srv.AgentIDs()) != 0 {
		t.Errorf("after destroy: campaign %+v, %d webhooks, agents %v", c, srv.WebhookCount(), srv.AgentIDs())
	}
}

// destroy-false.tf (Terraform 1.16 and later): a destroy forgets the
// running agent, without a DELETE; it keeps running in Kakiyo.
func TestAccGuide_offboardingDestroyFalse(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := providerBlock(srv) + readGuide(t, "offboarding", "destroy-false.tf")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(destroyFalseSince())},
		CheckDestroy: func(*terraform.State) error {
			if a, ok := srv.Agent(id); !ok || a.Status != "running" {
				return fmt.Errorf("agent in Kakiyo after the destroy: %+v, %v", a, ok)
			}
			if n := srv.Count("DELETE", "*"); n != 0 {
				return fmt.Errorf("%d DELETE", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { srv.SetAgentStatus(id, "running") }, Config: config, Destroy: true,
				// OpenTofu forgets the agent too, then says so with an error
				// (unless -suppress-forget-errors).
				ExpectError: forgetError(),
			},
		},
	})
}

func isOpenTofu() bool { return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" }

// forgetError is what a destroy that forgot resources ends with: nothing
// with Terraform; an error with OpenTofu.
func forgetError() *regexp.Regexp {
	if isOpenTofu() {
		return errorRe("Destroy was successful but left behind forgotten instances")
	}
	return nil
}

// destroyFalseSince is the first CLI version with destroy = false in a
// resource's lifecycle: Terraform 1.16, OpenTofu 1.12.
func destroyFalseSince() *version.Version {
	if isOpenTofu() {
		return version.Must(version.NewVersion("1.12.0"))
	}
	return version.Must(version.NewVersion("1.16.0"))
}

// Before Terraform 1.16, destroy-false.tf is refused by the CLI itself,
// before any call to Kakiyo.
func TestAccGuide_offboardingDestroyFalseNeedsTerraform116(t *testing.T) {
	if isOpenTofu() {
		t.Skip("OpenTofu has destroy = false from 1.12, the oldest OpenTofu the suite runs")
	}
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipFrom(destroyFalseSince())},
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + readGuide(t, "offboarding", "destroy-false.tf"),
				ExpectError: errorRe(`An argument named "destroy" is not expected here`),
			},
			{PreConfig: func() { assertRequests(t, srv) }, Config: providerBlock(srv)},
		},
	})
}
