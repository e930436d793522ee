package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

var terraform18 = version.Must(version.NewVersion("1.8.0"))

// The provider functions through the CLI (Terraform 1.8 and later, and
// OpenTofu): results, and errors that name the input. No API call.
func TestAccFunctions(t *testing.T) {
	srv := kakiyotest.Start(t)
	outputs := requiredProviders + `
output "weekdays" {
  value = provider::kakiyo::working_days("mon-fri")
}

output "some_days" {
  value = provider::kakiyo::working_days("Mon,Wed,fri-sun")
}

output "profile" {
  value = provider::kakiyo::linkedin_url("https://www.linkedin.com/in/Jane-Doe/?trk=public")
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(terraform18)},
		Steps: []resource.TestStep{
			{
				Config: outputs,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("weekdays", knownvalue.StringExact("1:1:1:1:1:0:0")),
					statecheck.ExpectKnownOutputValue("some_days", knownvalue.StringExact("1:0:1:0:1:1:1")),
					statecheck.ExpectKnownOutputValue("profile", knownvalue.StringExact("https://linkedin.com/in/jane-doe")),
				},
			},
			{
				Config:      requiredProviders + "output \"x\" {\n  value = provider::kakiyo::working_days(\"weekdays\")\n}\n",
				ExpectError: errorRe("Invalid function argument", `"weekdays" is not a day`, "mon-fri"),
			},
			{
				Config:      requiredProviders + "output \"x\" {\n  value = provider::kakiyo::linkedin_url(\"https://linkedin.com/company/kakiyo\")\n}\n",
				ExpectError: errorRe("Invalid function argument", "not a LinkedIn profile URL", "/in/<profile>"),
			},
			{
				// The functions in a resource: working_days feeds the agent.
				PreConfig: func() {
					if n := srv.Count("*", "*"); n != 0 {
						t.Errorf("the functions made %d API calls", n)
					}
				},
				Config: agentConfig(srv, `
  working_hours = {
    days = provider::kakiyo::working_days("mon-thu")
  }
`),
				Check: func(*terraform.State) error {
					if a, _ := srv.Agent(kakiyotest.AgentID(1)); a.Days != "1:1:1:1:0:0:0" {
						return fmt.Errorf("days in Kakiyo: %q", a.Days)
					}
					return nil
				},
			},
			// The flags written out, or the days named another way: the
			// same value, no change planned.
			{
				Config: agentConfig(srv, `
  working_hours = {
    days = "1:1:1:1:0:0:0"
  }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: agentConfig(srv, `
  working_hours = {
    days = provider::kakiyo::working_days("Mon,Tue,Wed,Thu")
  }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{PreConfig: endAgents(t, srv, kakiyotest.AgentID(1)), Config: agentConfig(srv, `
  working_hours = {
    days = provider::kakiyo::working_days("mon-thu")
  }
`)},
		},
	})
}

// Older CLIs have no provider functions: a configuration that calls one
// fails at plan time with the CLI's own error (a syntax error: they cannot
// parse provider::kakiyo::).
func TestAccFunctions_needTerraform18(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipFrom(terraform18)},
		Steps: []resource.TestStep{
			{
				Config:      requiredProviders + "output \"x\" {\n  value = provider::kakiyo::working_days(\"mon-fri\")\n}\n",
				ExpectError: errorRe("Missing newline after argument", "provider::kakiyo::working_days"),
			},
			// A configuration the CLI can read, for the test's own clean-up.
			{Config: requiredProviders},
		},
	})
}
