package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// The guide "Test your configuration offline", as a user follows it: the
// simulator built from this repository, started from the guide's seed file;
// the guide's module under terraform test (Terraform 1.6 and later), then
// plain apply, plan and destroy, through the real CLI and the provider
// binary. No account, no
// credits: the simulator's statistics show every call it answered.
func TestAccGuideOfflineTesting(t *testing.T) {
	cli := terraformAtLeast(t, tfversion.Version1_5_0)
	hasTest := !cliVersion(t, cli).LessThan(tfversion.Version1_6_0) // terraform test
	ctx := context.Background()
	repo := filepath.Join("..", "..")
	guide := filepath.Join(repo, "examples", "guides", "offline-testing")
	bin, err := sandbox.BuildProvider(ctx, repo, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	simDir, err := sandbox.BuildBinary(ctx, repo, "./internal/cmd/kakiyo-sim", "kakiyo-sim", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}

	work := t.TempDir()
	addrFile := filepath.Join(work, "addr")
	sim := exec.Command(filepath.Join(simDir, "kakiyo-sim"), "-state", filepath.Join(guide, "kakiyo-sim.json"), "-addr-file", addrFile)
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sim.Process.Kill(); _ = sim.Wait() }()
	base := ""
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(addrFile); err == nil {
			base = strings.TrimSpace(string(b))
		}
	}
	if base == "" {
		t.Fatal("kakiyo-sim did not start")
	}
	admin := strings.TrimSuffix(base, kakiyotest.PathPrefix) + "/_sim"
	getJSON := func(path string, v any) {
		t.Helper()
		resp, err := http.Get(admin + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	writes := func() map[string]int {
		var st kakiyotest.Stats
		getJSON("/stats", &st)
		w := map[string]int{}
		for k, n := range st.ByEndpoint {
			if !strings.HasPrefix(k, "GET ") {
				w[k] = n
			}
		}
		return w
	}

	sb, err := sandbox.New(cli, bin, base, kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	for _, f := range []string{"main.tf", "onboarding.tftest.hcl"} {
		if err := sb.WriteFile(f, readExample(t, filepath.Join("guides", "offline-testing", f))); err != nil {
			t.Fatal(err)
		}
	}

	// One onboarding applied, then destroyed: the campaign paused (Kakiyo
	// cannot delete one), the rest removed.
	oneOnboarding := map[string]int{
		"POST /workspaces": 1, "POST /workspaces/{id}/invite": 1, "POST /workspaces/{id}/agents/{agentId}": 1,
		"POST /campaigns": 1, "POST /campaigns/{id}/pause": 1, "DELETE /workspaces/{id}/agents/{agentId}": 1,
		"DELETE /workspaces/{id}/clients": 1, "DELETE /workspaces/{id}": 1,
	}
	wantWrites := map[string]int{}
	onboarded := func() {
		for k, n := range oneOnboarding {
			wantWrites[k] += n
		}
	}
	if hasTest {
		r := sb.Run(ctx, "test", "-no-color")
		if r.Err != nil || !strings.Contains(r.Output, "Success! 4 passed, 0 failed.") {
			t.Fatalf("terraform test: %v\n%s", r.Err, r.Output)
		}
		t.Logf("terraform test: 4 runs passed in %s", r.Duration.Round(time.Millisecond))
		onboarded()
		if got := writes(); !equalCounts(got, wantWrites) {
			t.Errorf("calls that change Kakiyo during terraform test:\n got %v\nwant %v", got, wantWrites)
		}
		var st kakiyotest.State
		getJSON("/state", &st)
		if len(st.Workspaces) != 0 || len(st.Campaigns) != 1 || st.Campaigns[0].Status != "paused" || st.Campaigns[0].Name != "Acme launch" {
			t.Errorf("after terraform test, the simulator holds %+v %+v", st.Workspaces, st.Campaigns)
		}
	}

	// The same module with plain apply, plan and destroy.
	vars := []string{"-var", "client=Umbrella", "-var", "contact_email=lead@umbrella.example", "-var", "agent_id=" + kakiyotest.AgentID(1)}
	if r := sb.Run(ctx, append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, vars...)...); r.Err != nil ||
		!strings.Contains(r.Output, "Apply complete! Resources: 4 added") {
		t.Fatalf("apply: %v\n%s", r.Err, r.Output)
	}
	r := sb.Run(ctx, append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, vars...)...)
	if r.Err != nil { // exit status 2: a change
		t.Fatalf("plan after apply (exit 0 = no change): %v\n%s", r.Err, r.Output)
	}
	if r := sb.Run(ctx, append([]string{"destroy", "-auto-approve", "-input=false", "-no-color"}, vars...)...); r.Err != nil ||
		!strings.Contains(r.Output, "Destroy complete! Resources: 4 destroyed.") {
		t.Fatalf("destroy: %v\n%s", r.Err, r.Output)
	}
	onboarded()
	if got := writes(); !equalCounts(got, wantWrites) {
		t.Errorf("calls that change Kakiyo after apply, plan and destroy:\n got %v\nwant %v", got, wantWrites)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
