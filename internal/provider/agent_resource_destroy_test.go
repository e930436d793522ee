package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// terraform destroy -refresh=false, through the real CLI and the provider
// binary (the testing framework cannot pass -refresh=false), on every CLI
// of the matrix, OpenTofu included. The destroy plan never refuses on a status this
// run did not read:
//   - state "setup_needed", Kakiyo "running": one GET, refused with the
//     status Kakiyo gave, in at most 20 lines;
//   - state "ended", Kakiyo "running": no GET, the DELETE's answer refuses
//     (in at most 20 lines too);
//   - state "ended", Kakiyo "ended": the DELETE only;
//   - state "setup_needed", Kakiyo ended since: one GET, then the DELETE;
//   - state "setup_needed", gone from Kakiyo: one GET, nothing to refuse.
//
// And a refreshed destroy of a running agent: its refresh's read, and one
// more in the destroy plan's own walk (Terraform plans a destroy in a walk of
// its own after the refresh), then refused.
func TestAccAgentResource_destroyWithoutRefresh(t *testing.T) {
	cli := acceptanceCLI(t)
	srv := kakiyotest.Start(t)
	bin, err := sandbox.BuildProvider(context.Background(), filepath.Join("..", ".."), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(cli, bin, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	if err := sb.WriteFile("main.tf", requiredProviders+"\nprovider \"kakiyo\" {}\n\nresource \"kakiyo_agent\" \"sales\" {}\n"); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		r := sb.Run(context.Background(), append(args, "-auto-approve", "-no-color")...)
		return r.Output, r.Err
	}
	mustRun := func(args ...string) {
		t.Helper()
		if out, err := run(args...); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	// requests: exactly want since the last reset, then reset.
	requests := func(step string, want ...string) {
		t.Helper()
		if err := checkRequests(srv, want...); err != nil {
			t.Errorf("%s: %v", step, err)
		}
		srv.ResetRequests()
	}
	refused := func(step, out string, err error, parts ...string) {
		t.Helper()
		if err == nil || !errorRe(append([]string{"Kakiyo agent not ended"}, parts...)...).MatchString(out) {
			t.Errorf("%s: want the refusal (%v):\n%s", step, err, out)
		}
		if n := diagnosticLines(out, "Error: Kakiyo agent not ended"); n > 20 {
			t.Errorf("%s: the refusal is %d lines, want at most 20:\n%s", step, n, out)
		}
	}
	agent := func(n int) string { return kakiyotest.AgentID(n) }

	mustRun("apply")
	id := agent(1)
	srv.SetAgentStatus(id, "running")
	srv.ResetRequests()
	out, err := run("destroy", "-refresh=false")
	refused("state setup_needed, Kakiyo running", out, err, `Terraform will not delete agent "`+id+`"`,
		`its status is "running" (read by this run)`, "lifecycle { destroy = false }", "removed block", "terraform state rm",
		`"Refresh-only runs"`)
	requests("state setup_needed, Kakiyo running", "GET /agents/"+id)

	// A refreshed destroy: the refresh's read and the destroy walk's one.
	out, err = run("destroy")
	refused("refreshed destroy, Kakiyo running", out, err, `its status is "running"`)
	requests("refreshed destroy, Kakiyo running", "GET /agents/"+id, "GET /agents/"+id)

	// The state says ended (a refresh read it), Kakiyo has restarted it.
	srv.SetAgentStatus(id, "ended")
	mustRun("apply", "-refresh-only")
	srv.SetAgentStatus(id, "running")
	srv.ResetRequests()
	out, err = run("destroy", "-refresh=false")
	refused("state ended, Kakiyo running", out, err, `Kakiyo refused to delete agent "`+id+`"`, `its status is "running"`,
		"stays in the state", "lifecycle { destroy = false }", "Kakiyo's answer:", "invalid_status")
	requests("state ended, Kakiyo running", "DELETE /agents/"+id)

	srv.SetAgentStatus(id, "ended")
	srv.ResetRequests()
	mustRun("destroy", "-refresh=false")
	requests("state ended, Kakiyo ended", "DELETE /agents/"+id)

	// A new agent, ended since the state last saw it (setup_needed).
	mustRun("apply")
	id = agent(2)
	srv.SetAgentStatus(id, "ended")
	srv.ResetRequests()
	mustRun("destroy", "-refresh=false")
	requests("state setup_needed, Kakiyo ended", "GET /agents/"+id, "DELETE /agents/"+id)

	// A new agent, gone from Kakiyo since: nothing to refuse.
	mustRun("apply")
	id = agent(3)
	srv.RemoveAgent(id)
	srv.ResetRequests()
	mustRun("destroy", "-refresh=false")
	requests("state setup_needed, gone", "GET /agents/"+id, "DELETE /agents/"+id)
	if ids := srv.AgentIDs(); len(ids) != 0 {
		t.Errorf("agents left: %v", ids)
	}
}

// acceptanceCLI returns the CLI of the acceptance tests, Terraform or
// OpenTofu (every one of the matrix), and skips the test without TF_ACC.
func acceptanceCLI(t *testing.T) string {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || cli == "" {
		t.Skip("acceptance test: set TF_ACC and TF_ACC_TERRAFORM_PATH")
	}
	return cli
}

// diagnosticLines counts the lines Terraform shows for the diagnostic that
// starts with first: from that line to the end of its box (or of out).
func diagnosticLines(out, first string) int {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.Contains(l, first) {
			n := 0
			for _, l := range lines[i:] {
				if strings.HasPrefix(l, "╵") {
					break
				}
				n++
			}
			return n
		}
	}
	return 0
}

// openTofu reports whether the acceptance tests run OpenTofu (as
// .ci/matrix runs it: with OpenTofu's registry host).
func openTofu() bool { return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" }

// cliFeature is a version gate for a feature that Terraform and OpenTofu
// brought in different versions: the test runs from those versions on
// (below: true, only below them, for the older-CLI counterpart).
type cliFeature struct {
	terraform, tofu *version.Version
	below           bool
}

func (c cliFeature) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest,
	resp *tfversion.CheckTerraformVersionResponse) {
	cli, from := "Terraform", c.terraform
	if openTofu() {
		cli, from = "OpenTofu", c.tofu
	}
	has := !req.TerraformVersion.LessThan(from)
	switch {
	case has && c.below:
		resp.Skip = fmt.Sprintf("%s %s has the feature (from %s): this test shows older CLIs", cli, req.TerraformVersion, from)
	case !has && !c.below:
		resp.Skip = fmt.Sprintf("%s %s is older than %s: skipping", cli, req.TerraformVersion, from)
	}
}

// lifecycle { destroy = false } in a resource block: Terraform 1.16 and
// OpenTofu 1.12.
var destroyFalse = cliFeature{terraform: version.Must(version.NewVersion("1.16.0")),
	tofu: version.Must(version.NewVersion("1.12.0"))}

// lifecycle { destroy = false } on a running agent (Terraform 1.16+,
// OpenTofu 1.12+), with the example as written: the destroy forgets it, with
// no call beyond the refresh (no DELETE, nothing refused), and it stays in
// Kakiyo. Its hazard first: a tainted agent under it plans a create and no
// delete: a second paid agent while the first is forgotten.
func TestAccAgentResource_lifecycleDestroyFalse(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	const agentAddr = "kakiyo_agent.kept"
	config := providerBlock(srv) + readExample(t, "resources/kakiyo_agent/destroy_false.tf")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{destroyFalse},
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The hazard: tainted, it plans a new agent and keeps the
				// old one out of the plan's deletes.
				PreConfig:          func() { srv.SetAgentStatus(id, "running") },
				Taint:              []string{agentAddr},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{createsWithoutDelete{agentAddr}},
				},
			},
			destroyForgets(srv.ResetRequests, config),
			checkAfterDestroy(t, func(*terraform.State) error {
				// Forgotten by Terraform, never deleted: the refresh was
				// the destroy's one call.
				if a, ok := srv.Agent(id); !ok || a.Status != "running" {
					return fmt.Errorf("the agent after the destroy: %+v (present %v)", a, ok)
				}
				if ids := srv.AgentIDs(); len(ids) != 1 {
					return fmt.Errorf("agents in Kakiyo: %v, want only %s", ids, id)
				}
				return checkRequests(srv, "GET /agents/"+id)
			}),
		},
	})
}

// The older-CLI counterpart: Terraform before 1.16 and OpenTofu before 1.12
// refuse the argument at plan time, with their own error; nothing is called.
func TestAccAgentResource_lifecycleDestroyFalseOlderCLI(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			cliFeature{terraform: destroyFalse.terraform, tofu: destroyFalse.tofu, below: true}},
		Steps: []resource.TestStep{
			{
				Config: agentConfig(srv, `
  lifecycle {
    destroy = false
  }
`),
				ExpectError: errorRe("Unsupported argument", `An argument named "destroy" is not expected here`),
			},
			{
				PreConfig: func() {
					if reqs := srv.Requests(); len(reqs) != 0 {
						t.Errorf("requests: %+v", reqs)
					}
				},
				Config: requiredProviders,
			},
		},
	})
}

// destroyForgets is the Destroy step of a configuration whose agents are
// under lifecycle { destroy = false }: Terraform forgets them and succeeds;
// OpenTofu forgets them too, and then fails on purpose ("Destroy was
// successful but left behind forgotten instances", unless the destroy is
// given -suppress-forget-errors), so that automation that takes a
// successful destroy to mean "all gone" is not misled.
func destroyForgets(before func(), config string) resource.TestStep {
	step := resource.TestStep{PreConfig: before, Config: config, Destroy: true}
	if openTofu() {
		step.ExpectError = errorRe("Destroy was successful but left behind forgotten instances", "-suppress-forget-errors")
	}
	return step
}

// plansActions is a plan check: the plan's actions for addr, as Terraform's
// JSON plan lists them ("[forget]").
type plansActions struct{ addr, want string }

func (c plansActions) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == c.addr {
			if got := fmt.Sprint(rc.Change.Actions); got != c.want {
				resp.Error = fmt.Errorf("%s: actions %s, want %s", c.addr, got, c.want)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// createsWithoutDelete is a plan check: the plan creates addr and deletes
// nothing of it (Terraform's forget-then-create, or OpenTofu's).
type createsWithoutDelete struct{ addr string }

func (c createsWithoutDelete) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		if !rc.Change.Actions.Create() && !strings.Contains(fmt.Sprint(rc.Change.Actions), "create") {
			resp.Error = fmt.Errorf("%s: actions %v, want a create", c.addr, rc.Change.Actions)
		}
		if rc.Change.Actions.Delete() || strings.Contains(fmt.Sprint(rc.Change.Actions), "delete") {
			resp.Error = fmt.Errorf("%s: actions %v, want no delete", c.addr, rc.Change.Actions)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// The resource block of an agent under lifecycle { destroy = false } is
// removed from the configuration. Terraform 1.16+ reads the setting from the
// configuration only: it plans the destroy, which is refused for a running
// agent (nothing deleted). OpenTofu 1.12+ keeps it in the state: the agent is
// forgotten, with no DELETE.
func TestAccAgentResource_lifecycleDestroyFalseBlockRemoved(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := providerBlock(srv) + readExample(t, "resources/kakiyo_agent/destroy_false.tf")
	removed := resource.TestStep{
		PreConfig: func() { srv.SetAgentStatus(id, "running"); srv.ResetRequests() },
		Config:    providerBlock(srv),
	}
	steps := []resource.TestStep{{Config: config}}
	if openTofu() {
		removed.ConfigPlanChecks = resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plansActions{"kakiyo_agent.kept", "[forget]"}},
		}
		steps = append(steps, removed, checkAfterDestroy(t, func(*terraform.State) error {
			if a, ok := srv.Agent(id); !ok || a.Status != "running" || srv.Count("DELETE", "*") != 0 {
				return fmt.Errorf("the agent: %+v (present %v), %d DELETEs", a, ok, srv.Count("DELETE", "*"))
			}
			return nil
		}))
	} else {
		removed.ExpectError = errorRe("Kakiyo agent not ended", `its status is "running"`)
		steps = append(steps, removed, resource.TestStep{
			PreConfig: func() {
				if n := srv.Count("DELETE", "*"); n != 0 {
					t.Errorf("%d DELETE requests", n)
				}
				endAgents(t, srv, id)()
			},
			Config: providerBlock(srv),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{destroyFalse},
		Steps:                    steps,
	})
}
