package provider

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// The hostile world, through the real CLI where the testing framework
// cannot go: a real SIGINT to a running apply and destroy, the output a
// user sees (warnings included) with literal secrets in the configuration,
// and `terraform import` with an empty id. They run on every CLI of the
// matrix, OpenTofu included.

var (
	providerBinOnce sync.Once
	providerBinDir  string
	providerBinErr  error
)

// providerBinary builds the provider once per test binary, for the tests
// that run the CLI themselves (internal/sandbox).
func providerBinary(t *testing.T) string {
	t.Helper()
	providerBinOnce.Do(func() {
		// One build for every test of this binary: t.TempDir would go with
		// the first test that asked.
		dir, err := os.MkdirTemp("", "kakiyo-provider-bin-") //nolint:usetesting // shared by the tests of the binary
		if err != nil {
			providerBinErr = err
			return
		}
		providerBinDir, providerBinErr = sandbox.BuildProvider(context.Background(), filepath.Join("..", ".."), dir)
	})
	if providerBinErr != nil {
		t.Fatal(providerBinErr)
	}
	return providerBinDir
}

// anyCLI returns the acceptance tests' CLI (Terraform or OpenTofu), and
// skips without TF_ACC.
func anyCLI(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("needs TF_ACC_TERRAFORM_PATH")
	}
	return cli
}

// newSandbox is a sandbox of the CLI against srv, with main.tf.
func newSandbox(t *testing.T, srv *kakiyotest.TestServer, mainTF string) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.New(anyCLI(t), providerBinary(t), srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	if err := sb.WriteFile("main.tf", mainTF); err != nil {
		t.Fatal(err)
	}
	return sb
}

// waitFor polls cond every 20 ms for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// stateList is `terraform state list`.
func stateList(t *testing.T, sb *sandbox.Sandbox) []string {
	t.Helper()
	r := sb.Run(context.Background(), "state", "list", "-no-color")
	switch {
	case r.Err != nil && strings.Contains(r.Output, "No state file"):
		return nil
	case r.Err != nil:
		t.Fatalf("%v\n%s", r.Err, r.Output)
	}
	return strings.Fields(r.Output)
}

// One Ctrl-C (a real SIGINT) while 5 POST /agents are in flight, after
// Kakiyo made the 5 agents and while it holds the answers: Terraform stops
// the provider, which cancels the creates; their settlement, on a context
// of its own, lists the agents and adopts all 5. Kakiyo's agents = the
// state's, and the next plan creates none. Then a Ctrl-C while the 5
// DELETEs of a destroy with export_dir are held after Kakiyo deleted the
// agents: every deleted agent has its record (none thrown away), and the
// next run's refresh settles the records left pending as deleted.
func TestAccHostile_interrupt(t *testing.T) {
	srv := kakiyotest.Start(t)
	sb := newSandbox(t, srv, requiredProviders+`
provider "kakiyo" {}

resource "kakiyo_agent" "team" {
  count = 5
}
`)
	exportDir := t.TempDir()
	sb.Setenv("KAKIYO_EXPORT_DIR", exportDir)
	ctx := context.Background()
	if r := sb.Run(ctx, "init", "-no-color"); r.Err != nil && !strings.Contains(r.Output, "dev_overrides") {
		t.Logf("init: %v\n%s", r.Err, r.Output) // with dev_overrides, init is not needed; some CLIs warn
	}

	// Kakiyo makes each agent, then holds the answer (up to 30 s).
	srv.InjectFault("POST", "/agents", kakiyotest.Fault{AfterHandling: true, Delay: 30 * time.Second, Status: 200, Body: `{}`})
	p, err := sb.Start(ctx, "apply", "-auto-approve", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	if !waitFor(60*time.Second, func() bool { return len(srv.AgentIDs()) == 5 }) {
		_ = p.Interrupt()
		t.Fatalf("Kakiyo has %d agents, want 5 before the interrupt\n%s", len(srv.AgentIDs()), p.Wait(time.Minute).Output)
	}
	if err := p.Interrupt(); err != nil {
		t.Fatal(err)
	}
	r := p.Wait(2 * time.Minute)
	srv.ClearFaults()
	t.Logf("interrupted apply (%s): %v", r.Duration.Round(time.Millisecond), r.Err)
	if r.Duration > 25*time.Second {
		t.Errorf("the interrupted apply took %s: the held answers were waited for", r.Duration)
	}
	inState := stateList(t, sb)
	if len(inState) != 5 {
		t.Fatalf("after the interrupt the state has %d agents %v; Kakiyo has %d: lost\n%s", len(inState), inState,
			len(srv.AgentIDs()), r.Output)
	}
	if n := srv.CountEndpoint("POST /agents"); n != 5 {
		t.Errorf("%d POST /agents, want 5", n)
	}
	plan := sb.Run(ctx, "plan", "-no-color", "-detailed-exitcode")
	if plan.Err != nil || len(srv.AgentIDs()) != 5 {
		t.Errorf("the plan after the interrupt: %v, Kakiyo has %d agents\n%s", plan.Err, len(srv.AgentIDs()), plan.Output)
	}

	// Ctrl-C during the destroy, each DELETE carried out, its answer held.
	ids := srv.AgentIDs()
	for _, id := range ids {
		srv.SetAgentStatus(id, "ended")
	}
	srv.InjectFault("DELETE", "*", kakiyotest.Fault{AfterHandling: true, Delay: 30 * time.Second, Status: 200,
		Body: `{"message":"Agent deleted successfully"}`})
	p, err = sb.Start(ctx, "destroy", "-auto-approve", "-no-color")
	if err != nil {
		t.Fatal(err)
	}
	if !waitFor(60*time.Second, func() bool { return len(srv.AgentIDs()) == 0 }) {
		_ = p.Interrupt()
		t.Fatalf("Kakiyo still has %v\n%s", srv.AgentIDs(), p.Wait(time.Minute).Output)
	}
	if err := p.Interrupt(); err != nil {
		t.Fatal(err)
	}
	r = p.Wait(2 * time.Minute)
	srv.ClearFaults()
	t.Logf("interrupted destroy (%s): %v", r.Duration.Round(time.Millisecond), r.Err)
	records := func() map[string]string {
		out := map[string]string{}
		files, _ := filepath.Glob(filepath.Join(exportDir, "agent-*.json"))
		for _, f := range files {
			var rec exportRecord
			if b, err := os.ReadFile(f); err == nil && json.Unmarshal(b, &rec) == nil {
				out[rec.ID] = rec.Result
			}
		}
		return out
	}
	got := records()
	if len(got) != len(ids) {
		t.Fatalf("%d agents deleted in Kakiyo, %d records: %v\n%s", len(ids), len(got), got, r.Output)
	}
	// The next run's refresh finds them gone and settles the records.
	if r := sb.Run(ctx, "apply", "-refresh-only", "-auto-approve", "-no-color"); r.Err != nil {
		t.Fatalf("%v\n%s", r.Err, r.Output)
	}
	for id, result := range records() {
		if result != exportDeleted {
			t.Errorf("record of %s: %q after the next refresh, want %q", id, result, exportDeleted)
		}
	}
	if left := stateList(t, sb); len(left) != 0 {
		t.Errorf("state after the refresh: %v", left)
	}
}

// Literal secrets in the configuration never reach the output: not the API
// key of the wrong length (its warning is not attached to api_key, whose
// source line Terraform would print), not a base_url's password or query,
// not a LinkedIn password next to an invalid login.
func TestAccHostile_secretsStayOutOfDiagnostics(t *testing.T) {
	srv := kakiyotest.Start(t)
	const key39 = "kakiyo_test_key_0123456789abcdefghijklm" // 39 characters
	cases := map[string]struct {
		provider  string
		body      string
		want      string
		secrets   []string
		writeOnly bool
	}{
		"api_key of 39 characters": {
			provider: `api_key = "` + key39 + `"
  base_url = "` + srv.URL() + `"`,
			body: `data "kakiyo_agents" "all" {}`, want: "Kakiyo API key of unexpected length", secrets: []string{key39},
		},
		"base_url with a password and a query": {
			provider: `base_url = "https://ops:PA55WORD@api.kakiyo.com/v1?x=QUERYSECRET"`,
			body:     `data "kakiyo_agents" "all" {}`, want: "Invalid Kakiyo base URL", secrets: []string{"PA55WORD", "QUERYSECRET"},
		},
		"base_url with a token in its query": {
			provider: `base_url = "https://api.kakiyo.com/v1?token=QUERYSECRET"`,
			body:     `data "kakiyo_agents" "all" {}`, want: "must not have a query", secrets: []string{"QUERYSECRET"},
		},
		"http base_url with a password": {
			provider: `base_url = "http://ops:PA55WORD@kakiyo.example.com/v1"`,
			body:     `data "kakiyo_agents" "all" {}`, want: "Invalid Kakiyo base URL", secrets: []string{"PA55WORD"},
		},
		"a LinkedIn password next to an invalid login": {
			provider: `base_url = "` + srv.URL() + `"`,
			body: `resource "kakiyo_agent" "a" {
  linkedin = {
    login               = "not-an-email"
    password_wo         = "LITERAL-LINKEDIN-PASSWORD"
    password_wo_version = 1
  }
}`, want: "must be the e-mail address of the LinkedIn account", secrets: []string{"LITERAL-LINKEDIN-PASSWORD"}, writeOnly: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.writeOnly && !cliAtLeast(t, "1.11.0") {
				t.Skip("write-only attributes need Terraform 1.11 or OpenTofu 1.11")
			}
			sb := newSandbox(t, srv, requiredProviders+"\nprovider \"kakiyo\" {\n  "+tc.provider+"\n}\n\n"+tc.body+"\n")
			r := sb.Run(context.Background(), "plan", "-no-color")
			if !strings.Contains(r.Output, tc.want) {
				t.Errorf("the output lacks %q:\n%s", tc.want, r.Output)
			}
			for _, s := range tc.secrets {
				if strings.Contains(r.Output, s) {
					t.Errorf("the output shows a secret (%s):\n%s", s, r.Output)
				}
			}
		})
	}
}

// `terraform import` with an empty id, or ".", gets the provider's clear
// error (not the framework's "Value Conversion Error"), and no call is made.
func TestAccHostile_importEmptyID(t *testing.T) {
	srv := kakiyotest.Start(t)
	sb := newSandbox(t, srv, requiredProviders+`
provider "kakiyo" {}

resource "kakiyo_agent" "a" {}
`)
	for _, id := range []string{"", "."} {
		srv.ResetRequests()
		r := sb.Run(context.Background(), "import", "-no-color", "kakiyo_agent.a", id)
		if r.Err == nil || !strings.Contains(r.Output, "Invalid Kakiyo agent id") || strings.Contains(r.Output, "Value Conversion Error") {
			t.Errorf("import %q: %v\n%s", id, r.Err, r.Output)
		}
		if reqs := srv.Requests(); len(reqs) != 0 {
			t.Errorf("import %q made calls: %v", id, reqs)
		}
	}
	if left := stateList(t, sb); len(left) != 0 {
		t.Errorf("state: %v", left)
	}
}

// cliAtLeast reports whether the acceptance tests' CLI (Terraform or
// OpenTofu, which both answer version -json) is v or later.
func cliAtLeast(t *testing.T, v string) bool {
	t.Helper()
	out, err := exec.Command(anyCLI(t), "version", "-json").Output()
	var got struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &got) != nil {
		t.Fatalf("version: %v", err)
	}
	return !version.Must(version.NewVersion(got.Version)).LessThan(version.Must(version.NewVersion(v)))
}
