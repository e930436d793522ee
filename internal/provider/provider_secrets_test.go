package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// secretKey is a valid key of the double that must never show anywhere.
const secretKey = "SECRET-kakiyo-key-Zq8vN3xP0aL-do-not-log"

// A whole scenario (create with settings, a retried fault, refused and
// successful destroy) with TF_LOG=trace captured: the API key appears
// nowhere in the log, the state or the plans. (Not parallel: it sets
// environment variables.)
func TestAccProvider_apiKeyNeverShown(t *testing.T) {
	srv := kakiyotest.Start(t)
	if len(secretKey) != 40 {
		t.Fatalf("the key must have 40 characters, has %d", len(secretKey))
	}
	srv.AddAPIKey(secretKey, kakiyotest.DefaultTeam)
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv(EnvAPIKey, secretKey)
	id := kakiyotest.AgentID(1)
	config := requiredProviders + fmt.Sprintf(`
provider "kakiyo" {
  base_url       = %q
  retry_wait_min = "1ms"
}

resource "kakiyo_agent" "test" {
  working_hours = {
    days = "1:1:1:1:1:1:1"
  }
}
`, srv.URL())
	checks := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{noSecret{secretKey, "the API key"}},
		PostApplyPostRefresh: []plancheck.PlanCheck{noSecret{secretKey, "the API key"}}}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("PUT", "/agents/"+id, kakiyotest.Fault{Status: 503, Times: 1, Body: "busy"})
				},
				Config:            config,
				ConfigPlanChecks:  checks,
				ConfigStateChecks: []statecheck.StateCheck{noSecret{secretKey, "the API key"}},
			},
			{Config: config, Destroy: true, ExpectError: errorRe("Kakiyo agent not ended")},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})

	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// The log is real: it holds the provider's request lines.
	for _, want := range []string{"Kakiyo API request", "path=/agents/" + id, "Kakiyo API request will be retried", "Deleted Kakiyo agent"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the captured log (%d bytes) lacks %q", len(log), want)
		}
	}
	if strings.Contains(string(log), secretKey) {
		i := strings.Index(string(log), secretKey)
		t.Errorf("the log shows the API key: …%s…", string(log)[max(0, i-200):i])
	}
}
