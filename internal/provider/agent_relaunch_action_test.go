package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// relaunchConfig: a kakiyo_agent_relaunch action on agent, triggered after
// terraform_data "trigger" is created or updated (input changes).
func relaunchConfig(srv *kakiyotest.TestServer, agent, input, extra string) string {
	return providerBlock(srv) + fmt.Sprintf(`
action "kakiyo_agent_relaunch" "revive" {
  config {
    agent_id = %q
  }
}

resource "terraform_data" "trigger" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.kakiyo_agent_relaunch.revive]
    }
  }
}
%s`, agent, input, extra)
}

// The action, triggered from a lifecycle action_trigger (Terraform 1.14 and
// later): an ended agent is relaunched with one call, and the next refresh
// of its kakiyo_agent shows setup_needed; a running agent is refused with
// Kakiyo's invalid_status named, and nothing changes.
func TestAccAgentRelaunchAction(t *testing.T) {
	srv := kakiyotest.Start(t)
	ended := srv.AddAgent(kakiyotest.AgentSeed{Status: "ended", Name: "Jane Doe", Login: "jane@example.com"})
	running := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	managed := fmt.Sprintf(`
import {
  to = kakiyo_agent.old
  id = %q
}

resource "kakiyo_agent" "old" {}
`, ended)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		CheckDestroy:             checkDestroyedWithOneDelete(srv, ended),
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetRequests,
				Config:    relaunchConfig(srv, ended, "1", managed),
				Check: func(*terraform.State) error {
					if a, _ := srv.Agent(ended); a.Status != "setup_needed" || a.Login != "" {
						return fmt.Errorf("agent after relaunch: %+v", a)
					}
					// The import's read, then the relaunch: one call.
					return checkEndpoints(srv, calls{"GET /agents/{id}": 1, "POST /agents/{id}/relaunch": 1})
				},
			},
			{
				Config: relaunchConfig(srv, ended, "1", managed),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("kakiyo_agent.old", tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
					statecheck.ExpectKnownValue("kakiyo_agent.old", tfjsonpath.New("login"), knownvalue.Null()),
				},
			},
			{
				PreConfig:   srv.ResetRequests,
				Config:      relaunchConfig(srv, running, "2", managed),
				ExpectError: errorRe("Kakiyo agent not ended", "refused to relaunch agent", running, `status is "running"`, "Nothing changed"),
			},
			{
				PreConfig: func() {
					if a, _ := srv.Agent(running); a.Status != "running" {
						t.Errorf("the running agent: %+v", a)
					}
					if n := srv.CountEndpoint("POST /agents/{id}/relaunch"); n != 1 {
						t.Errorf("%d relaunch calls, want 1", n)
					}
					srv.SetAgentStatus(ended, "ended")
					srv.RemoveAgent(running) // not managed here
					srv.ResetRequests()
				},
				Config: providerBlock(srv) + managed,
			},
		},
	})
}

// terraform apply -invoke=action.kakiyo_agent_relaunch.<name>, through the
// real CLI (the testing framework cannot pass -invoke), with the examples as
// written: the agent of resource.tf, ended by Kakiyo, is relaunched with one
// call; invoked again, it is refused with its status named.
func TestAccAgentRelaunchAction_invoke(t *testing.T) {
	cli := terraformAtLeast(t, tfversion.Version1_14_0)
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	bin, err := sandbox.BuildProvider(context.Background(), filepath.Join("..", ".."), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(cli, bin, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	config := requiredProviders + "\nprovider \"kakiyo\" {}\n" + readExample(t, "resources/kakiyo_agent/resource.tf") +
		readExample(t, "actions/kakiyo_agent_relaunch/action.tf")
	if err := sb.WriteFile("main.tf", config); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		r := sb.Run(context.Background(), append(args, "-auto-approve", "-no-color")...)
		return r.Output, r.Err
	}
	if out, err := run("apply"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	srv.SetAgentStatus(id, "ended")
	srv.ResetRequests()
	if out, err := run("apply", "-invoke=action.kakiyo_agent_relaunch.sales"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if a, _ := srv.Agent(id); a.Status != "setup_needed" {
		t.Errorf("agent after -invoke: %+v", a)
	}
	if n := srv.CountEndpoint("POST /agents/{id}/relaunch"); n != 1 {
		t.Errorf("%d relaunch calls, want 1", n)
	}
	out, err := run("apply", "-invoke=action.kakiyo_agent_relaunch.sales")
	if err == nil || !errorRe("Kakiyo agent not ended", `status is "setup_needed"`).MatchString(out) {
		t.Errorf("second invoke: %v\n%s", err, out)
	}
	srv.SetAgentStatus(id, "ended")
	if out, err := run("destroy"); err != nil || len(srv.AgentIDs()) != 0 {
		t.Errorf("destroy: %v, agents %v\n%s", err, srv.AgentIDs(), out)
	}
}

// terraformAtLeast returns the CLI of the acceptance tests when it is
// Terraform v or later, and skips the test otherwise (or without TF_ACC).
func terraformAtLeast(t *testing.T, v *version.Version) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" || os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		t.Skip("needs Terraform (TF_ACC_TERRAFORM_PATH)")
	}
	out, err := exec.Command(cli, "version", "-json").Output()
	var got struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &got) != nil {
		t.Fatalf("terraform version: %v", err)
	}
	if version.Must(version.NewVersion(got.Version)).LessThan(v) {
		t.Skipf("Terraform %s is older than %s: skipping", got.Version, v)
	}
	return cli
}
