package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// protoV6ProviderFactories runs the provider in-process for the Terraform CLI.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"kakiyo": providerserver.NewProtocol6WithError(New("test")()),
}

func TestMain(m *testing.M) {
	// The Terraform CLI must not phone home, and must not read a CLI
	// configuration the test did not choose (OpenTofu fails on a missing one).
	if os.Getenv("TF_CLI_CONFIG_FILE") == "" || !fileExists(os.Getenv("TF_CLI_CONFIG_FILE")) {
		_ = os.Setenv("TF_CLI_CONFIG_FILE", os.DevNull)
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	// Test under the provider's real address, kakiyo/kakiyo, so that the
	// examples' required_providers block works as written.
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "kakiyo")
	}
	// Credentials of the person running the tests must not leak into them.
	_ = os.Unsetenv(EnvAPIKey)
	_ = os.Unsetenv(EnvBaseURL)
	os.Exit(m.Run())
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// requiredProviders names the provider by its real address, as users do.
const requiredProviders = `
terraform {
  required_providers {
    kakiyo = {
      source = "kakiyo/kakiyo"
    }
  }
}
`

// providerBlock configures the provider against a test double, with
// retries that wait milliseconds instead of seconds.
func providerBlock(srv *kakiyotest.TestServer, extra ...string) string {
	return requiredProviders + fmt.Sprintf(`
provider "kakiyo" {
  base_url       = %q
  api_key        = %q
  retry_wait_min = "1ms"
  retry_wait_max = "20ms"
%s
}
`, srv.URL(), kakiyotest.DefaultAPIKey, strings.Join(extra, "\n"))
}

// agentConfig is a provider block plus one kakiyo_agent "test" with body.
func agentConfig(srv *kakiyotest.TestServer, body string) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_agent" "test" {
%s
}
`, body)
}

const agentAddr = "kakiyo_agent.test"

// errorRe matches Terraform's rendering of a diagnostic that contains all
// of parts in order; Terraform wraps long lines, so any run of white space
// and box-drawing characters may stand between words.
func errorRe(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// checkRequests says how the requests the double saw since it was last
// reset differ from want, "METHOD /path" strings in order; nil if they do not.
func checkRequests(srv *kakiyotest.TestServer, want ...string) error {
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Method+" "+r.Path)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return fmt.Errorf("requests to the Kakiyo double:\n got: %q\nwant: %q", got, want)
	}
	return nil
}

// expectRequests is a step's Check: exactly the requests want since the
// double was last reset.
func expectRequests(srv *kakiyotest.TestServer, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error { return checkRequests(srv, want...) }
}

// assertRequests is checkRequests for a PreConfig, which cannot return an
// error: it asserts what the previous step sent when that step expected an
// error (and so ran no Check).
func assertRequests(t *testing.T, srv *kakiyotest.TestServer, want ...string) {
	t.Helper()
	if err := checkRequests(srv, want...); err != nil {
		t.Error(err)
	}
}

// expectAgentCount is a step's Check: the double holds exactly n agents.
func expectAgentCount(srv *kakiyotest.TestServer, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if ids := srv.AgentIDs(); len(ids) != n {
			return fmt.Errorf("agents in Kakiyo: %v, want %d", ids, n)
		}
		return nil
	}
}

// checkDestroyedWithOneDelete is a CheckDestroy: every agent the double ever
// created is gone, and since the last reset each got exactly one DELETE,
// after which nothing else was sent but the GET /verify (one per Terraform
// process at most) that makes sure a not_found is Kakiyo's.
func checkDestroyedWithOneDelete(srv *kakiyotest.TestServer, ids ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := srv.AgentIDs(); len(left) != 0 {
			return fmt.Errorf("agents left in Kakiyo after destroy: %v", left)
		}
		reqs := srv.Requests()
		for _, id := range ids {
			if n := srv.Count("DELETE", "/agents/"+id); n != 1 {
				return fmt.Errorf("agent %s got %d DELETE requests, want exactly 1", id, n)
			}
		}
		deletes := 0
		for _, r := range reqs {
			switch {
			case r.Method == "DELETE":
				deletes++
			case r.Method == "GET" && r.Path == "/verify":
			case deletes > 0 || r.Method != "GET":
				return fmt.Errorf("unexpected request during destroy: %s %s (all: %v)", r.Method, r.Path, reqs)
			}
		}
		if deletes != len(ids) {
			return fmt.Errorf("%d DELETE requests, want %d", deletes, len(ids))
		}
		return nil
	}
}

// endAgents is a PreConfig: end the agents through the back door, as Kakiyo
// would outside the API, and forget the requests seen so far.
func endAgents(t *testing.T, srv *kakiyotest.TestServer, ids ...string) func() {
	return func() {
		for _, id := range ids {
			if !srv.SetAgentStatus(id, "ended") {
				t.Errorf("agent %s is not in the Kakiyo double", id)
			}
		}
		srv.ResetRequests()
	}
}

// checkPutBody says how the PUT /agents/{id} requests since the last reset
// differ from exactly one whose JSON body equals want; nil if they do not.
func checkPutBody(srv *kakiyotest.TestServer, id, want string) error {
	var bodies []string
	for _, r := range srv.Requests() {
		if r.Method == "PUT" && r.Path == "/agents/"+id {
			bodies = append(bodies, r.Body)
		}
	}
	if len(bodies) != 1 {
		return fmt.Errorf("want exactly one PUT /agents/%s, got %d: %q", id, len(bodies), bodies)
	}
	var got, exp any
	if err := json.Unmarshal([]byte(bodies[0]), &got); err != nil {
		return fmt.Errorf("PUT body is not JSON: %s", bodies[0])
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		return fmt.Errorf("bad expectation %s: %w", want, err)
	}
	if !reflect.DeepEqual(got, exp) {
		return fmt.Errorf("PUT body:\n got: %s\nwant: %s", bodies[0], want)
	}
	return nil
}

// noSecret is a plan and state check: value (what: "the API key", "the
// password") appears nowhere in the JSON that Terraform shows of the plan
// or of the state.
type noSecret struct{ value, what string }

func (s noSecret) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = s.absentFrom("plan", req.Plan)
}

func (s noSecret) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = s.absentFrom("state", req.State)
}

func (s noSecret) absentFrom(where string, v any) error {
	b, err := json.Marshal(v)
	switch {
	case err != nil:
		return fmt.Errorf("the %s could not be read: %w", where, err)
	case strings.Contains(string(b), s.value):
		return fmt.Errorf("the %s shows %s", where, s.what)
	}
	return nil
}

// withPreConfig runs before, then the step's own PreConfig.
func withPreConfig(step resource.TestStep, before func()) resource.TestStep {
	own := step.PreConfig
	step.PreConfig = func() {
		before()
		if own != nil {
			own()
		}
	}
	return step
}

// checkAfterDestroy is a last step, after a Destroy step, that runs check:
// terraform-plugin-testing runs a TestCase's CheckDestroy only when the state
// is not empty before its own final destroy, so a test whose last step
// destroys everything checks the destroy here instead.
func checkAfterDestroy(t *testing.T, check resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() {
			if err := check(nil); err != nil {
				t.Error(err)
			}
		},
		Config: requiredProviders,
	}
}

// testdataConfig reads a configuration kept in testdata/, for tests whose
// configuration is too long to read well inline; its steps vary it with
// ConfigVariables.
func testdataConfig(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// skipFrom skips a test on CLIs from v on: for tests that show what an older
// CLI does with a newer feature. (SkipAbove(1.10.0) would also skip 1.10.5.)
func skipFrom(v *version.Version) tfversion.TerraformVersionCheck {
	return tfversion.SkipBetween(v, version.Must(version.NewVersion("999.0.0")))
}

// calls is how many requests each route ("GET /agents/{id}") got.
type calls map[string]int

// checkEndpoints says how the requests the double saw since it was last
// reset, counted by route, differ from want (routes not in want: none).
func checkEndpoints(srv *kakiyotest.TestServer, want calls) error {
	got := calls{}
	for _, r := range srv.Requests() {
		got[r.Endpoint]++
	}
	for k, v := range want {
		if v == 0 {
			delete(want, k)
		}
	}
	if !maps.Equal(got, want) {
		return fmt.Errorf("requests to the Kakiyo double by endpoint:\n got: %v\nwant: %v", got, want)
	}
	return nil
}

// assertEndpoints is checkEndpoints for a PreConfig (see assertRequests);
// it then forgets the requests.
func assertEndpoints(t *testing.T, srv *kakiyotest.TestServer, want calls) {
	t.Helper()
	if err := checkEndpoints(srv, want); err != nil {
		t.Error(err)
	}
	srv.ResetRequests()
}
