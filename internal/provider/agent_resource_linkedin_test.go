package provider

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

func TestAccAgentResource_linkedin(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	path := "/agents/" + id
	const pw1, pw2 = "s3cr3t-Pa55-first", "s3cr3t-Pa55-second"
	// The password comes in as users should pass it: an ephemeral, sensitive
	// variable, which Terraform keeps out of plan files.
	hcl := func(version int) string {
		return `
variable "linkedin_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
` + agentConfig(srv, fmt.Sprintf(`
  linkedin = {
    login               = "jane@example.com"
    country             = "FR"
    password_wo         = var.linkedin_password
    password_wo_version = %d
  }
`, version))
	}
	type cfg struct {
		hcl  string
		vars config.Variables
	}
	config := func(password string, version int) cfg {
		return cfg{hcl(version), config.Variables{"linkedin_password": config.StringVariable(password)}}
	}
	password := func(want string) error {
		if a, _ := srv.Agent(id); a.Password != want {
			return fmt.Errorf("password in Kakiyo: %q, want %q", a.Password, want)
		}
		return nil
	}
	secretsKept := []statecheck.StateCheck{noSecret{pw1, "the password"}, noSecret{pw2, "the password"},
		statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("linkedin").AtMapKey("password_wo"), knownvalue.Null())}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config(pw1, 1).hcl, ConfigVariables: config(pw1, 1).vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{noSecret{pw1, "the password"}},
				},
				ConfigStateChecks: append(secretsKept,
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("linkedin").AtMapKey("login"), knownvalue.StringExact("jane@example.com")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("login"), knownvalue.StringExact("jane@example.com")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("country"), knownvalue.StringExact("FR")),
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("auth_in_progress")),
				),
				Check: func(*terraform.State) error {
					return errors.Join(checkRequests(srv, "GET /agents", "POST /agents", "POST "+path+"/setup", "GET "+path), password(pw1))
				},
			},
			{
				// A new password alone changes nothing: Terraform cannot see it.
				PreConfig: srv.ResetRequests,
				Config:    config(pw2, 1).hcl, ConfigVariables: config(pw2, 1).vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), noSecret{pw2, "the password"}},
				},
				ConfigStateChecks: secretsKept,
			},
			{
				// A new version sends it.
				PreConfig: func() {
					assertRequests(t, srv, "GET "+path, "GET "+path)
					if err := password(pw1); err != nil {
						t.Error(err)
					}
					srv.ResetRequests()
				},
				Config: config(pw2, 2).hcl, ConfigVariables: config(pw2, 2).vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionUpdate), noSecret{pw2, "the password"}},
				},
				ConfigStateChecks: secretsKept,
				Check: func(*terraform.State) error {
					return errors.Join(checkRequests(srv, "GET "+path, "POST "+path+"/setup", "GET "+path), password(pw2))
				},
			},
			{
				// Another account connected in Kakiyo: drift, and the apply
				// connects the configured one again.
				PreConfig: func() { srv.SetAgentProfile(id, "Someone", "someone@example.com", "FR", "") },
				Config:    config(pw2, 2).hcl, ConfigVariables: config(pw2, 2).vars,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue(agentAddr, tfjsonpath.New("linkedin").AtMapKey("login"), knownvalue.StringExact("jane@example.com")),
						plancheck.ExpectResourceAction(agentAddr, plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: append(secretsKept,
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("login"), knownvalue.StringExact("jane@example.com"))),
			},
			{
				Config:                  config(pw2, 2).hcl,
				ConfigVariables:         config(pw2, 2).vars,
				ResourceName:            agentAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"linkedin"},
			},
			{PreConfig: endAgents(t, srv, id), Config: config(pw2, 2).hcl, ConfigVariables: config(pw2, 2).vars},
		},
	})
}

// Before Terraform 1.11 a write-only password cannot be sent: the error
// says so, and the agent is never created half-way.
func TestAccAgentResource_linkedinNeedsTerraform111(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipFrom(tfversion.Version1_11_0)},
		CheckDestroy: func(*terraform.State) error {
			if ids := srv.AgentIDs(); len(ids) != 0 {
				return fmt.Errorf("agents created: %v", ids)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: agentConfig(srv, `
  linkedin = {
    login       = "jane@example.com"
    password_wo = "s3cr3t"
  }
`),
			ExpectError: errorRe("WriteOnly Attribute Not Allowed", "linkedin.password_wo", "Terraform 1.11 and later"),
		}},
	})
}
