package provider

import (
	"encoding/json"

	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
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

// testAccPreCheck fails (never skips) a test that cannot run: the suite is
// meant to run everywhere, against the local test double.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("acceptance tests need TF_ACC=1; run them with `make test`")
	}
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

// checkRequests asserts the exact sequence of requests the double saw since
// it was last reset, as "METHOD /path" strings.
func checkRequests(t *testing.T, srv *kakiyotest.TestServer, want ...string) {
	t.Helper()
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Method+" "+r.Path)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests to the Kakiyo double:\n got: %q\nwant: %q", got, want)
	}
}

// checkDestroyedWithOneDelete is a CheckDestroy: every agent the double ever
// created is gone, and since the last reset each got exactly one DELETE,
// after which nothing else was sent.
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

// checkPutBody asserts that exactly one PUT /agents/{id} was sent since the
// last reset, and that its JSON body equals want.
func checkPutBody(t *testing.T, srv *kakiyotest.TestServer, id, want string) {
	t.Helper()
	var bodies []string
	for _, r := range srv.Requests() {
		if r.Method == "PUT" && r.Path == "/agents/"+id {
			bodies = append(bodies, r.Body)
		}
	}
	if len(bodies) != 1 {
		t.Errorf("want exactly one PUT /agents/%s, got %d: %q", id, len(bodies), bodies)
		return
	}
	var got, exp any
	if err := json.Unmarshal([]byte(bodies[0]), &got); err != nil {
		t.Errorf("PUT body is not JSON: %s", bodies[0])
		return
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("PUT body:\n got: %s\nwant: %s", bodies[0], want)
	}
}

// skipFrom skips a test on CLIs from v on: for tests that show what an older
// CLI does with a newer feature. (SkipAbove(1.10.0) would also skip 1.10.5.)
func skipFrom(v *version.Version) tfversion.TerraformVersionCheck {
	return tfversion.SkipBetween(v, version.Must(version.NewVersion("999.0.0")))
}
