package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// The examples under examples/ are the documentation's code: each one is
// applied here, as written, against the Kakiyo double.

func readExample(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// provider.tf and resource.tf together, with the credentials in the
// environment as provider.tf recommends. (Not parallel: it sets them.)
func TestAccExamples_providerAndAgent(t *testing.T) {
	srv := kakiyotest.Start(t)
	t.Setenv(EnvAPIKey, kakiyotest.DefaultAPIKey)
	t.Setenv(EnvBaseURL, srv.URL())
	id := kakiyotest.AgentID(1)
	config := readExample(t, "provider/provider.tf") + readExample(t, "resources/kakiyo_agent/resource.tf")
	addr := "kakiyo_agent.sales"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("working_hours").AtMapKey("stop"), knownvalue.StringExact("12:30")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("limits").AtMapKey("messages_max"), knownvalue.Int64Exact(30)),
				},
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"limits", "skip_in_network", "invitations_only"},
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// import-by-string-id.tf adopts an existing agent; resource.tf then applies
// its settings in place.
func TestAccExamples_importBlock(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := srv.AddAgent(kakiyotest.AgentSeed{ID: "69724b7100331796aae2", Status: "running"})
	config := providerBlock(srv) + readExample(t, "resources/kakiyo_agent/import-by-string-id.tf") +
		readExample(t, "resources/kakiyo_agent/resource.tf")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("kakiyo_agent.sales", plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(expectAgentCount(srv, 1), func(*terraform.State) error {
					if a, _ := srv.Agent(id); a.Start != "08:30" || a.Limits["messagesMax"] != 30 {
						return fmt.Errorf("settings not applied: %+v", a)
					}
					return nil
				}),
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// The kakiyo_agents example is the bulk cleanup of ended agents: among a
// dozen agents of mixed statuses, exactly the ended ones are adopted and
// then deleted, each with one DELETE; the others are never touched.
func TestAccExamples_bulkCleanupOfEndedAgents(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetAgentList(kakiyotest.ListObjectKey, kakiyotest.PagingOffset, 5)
	statuses := []string{"ended", "running", "paused", "ended", "setup_needed", "ended",
		"auth_needed", "ended", "disabled", "running", "ended", "auth_in_progress"}
	var ended, others []string
	for _, st := range statuses {
		id := srv.AddAgent(kakiyotest.AgentSeed{Status: st})
		if st == "ended" {
			ended = append(ended, id)
		} else {
			others = append(others, id)
		}
	}
	config := providerBlock(srv) + readExample(t, "data-sources/kakiyo_agents/data-source.tf")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		// The destroy is a step, with its check after it: the state of
		// for_each instances keyed by string cannot be read by the testing
		// framework's post-test destroy.
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("ended_agents", knownvalue.ListSizeExact(len(ended))),
					statecheck.ExpectKnownValue(fmt.Sprintf("kakiyo_agent.ended[%q]", ended[0]), tfjsonpath.New("status"), knownvalue.StringExact("ended")),
					statecheck.ExpectKnownValue(fmt.Sprintf("kakiyo_agent.ended[%q]", ended[len(ended)-1]), tfjsonpath.New("id"), knownvalue.StringExact(ended[len(ended)-1])),
				},
			},
			{
				PreConfig: func() {
					for _, r := range srv.Requests() {
						if r.Method != "GET" {
							t.Errorf("adopting the agents sent %s %s", r.Method, r.Path)
						}
					}
					srv.ResetRequests()
				},
				Config:  config,
				Destroy: true,
			},
			checkAfterDestroy(t, func(*terraform.State) error {
				for _, id := range ended {
					if _, ok := srv.Agent(id); ok {
						return fmt.Errorf("ended agent %s was not deleted", id)
					}
					if n := srv.Count("DELETE", "/agents/"+id); n != 1 {
						return fmt.Errorf("ended agent %s got %d DELETE requests, want 1", id, n)
					}
				}
				for _, id := range others {
					if _, ok := srv.Agent(id); !ok {
						return fmt.Errorf("agent %s, not ended, was deleted", id)
					}
				}
				if n := srv.Count("DELETE", "*"); n != len(ended) {
					return fmt.Errorf("%d DELETE requests, want %d", n, len(ended))
				}
				return nil
			}),
		},
	})
}

// linkedin.tf connects an account with a write-only password from an
// ephemeral variable, and protects the agent from deletion.
func TestAccExamples_linkedin(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	vars := config.Variables{"linkedin_password": config.StringVariable("example-Pa55word")}
	cfg := providerBlock(srv) + readExample(t, "resources/kakiyo_agent/linkedin.tf")
	unprotected := strings.Replace(cfg, "deletion_protection = true", "deletion_protection = false", 1)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: cfg, ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{noSecret{"example-Pa55word", "the password"}},
				Check: func(*terraform.State) error {
					if a, _ := srv.Agent(id); a.Password != "example-Pa55word" || a.Login != "recruiting@example.com" {
						return fmt.Errorf("agent in Kakiyo: %+v", a)
					}
					return nil
				},
			},
			{Config: cfg, ConfigVariables: vars, Destroy: true, ExpectError: errorRe("Kakiyo agent deletion protection enabled")},
			{Config: unprotected, ConfigVariables: vars},
			{PreConfig: endAgents(t, srv, id), Config: unprotected, ConfigVariables: vars},
		},
	})
}

// Before Terraform 1.7, import blocks take no for_each and removed blocks do
// not exist: Terraform says so clearly, and nothing is touched.
func TestAccExamples_needTerraform17(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := srv.AddAgent(kakiyotest.AgentSeed{Status: "ended"})
	noChange := func(*terraform.State) error {
		if n := srv.Count("*", "*") - srv.Count("GET", "*"); n != 0 {
			return fmt.Errorf("%d requests other than reads", n)
		}
		if _, ok := srv.Agent(id); !ok {
			return fmt.Errorf("agent %s was deleted", id)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipFrom(tfversion.Version1_7_0)},
		CheckDestroy:             noChange,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + readExample(t, "data-sources/kakiyo_agents/data-source.tf"),
				ExpectError: errorRe(`An argument named "for_each" is not expected here`),
			},
			{
				Config:      providerBlock(srv) + "\nremoved {\n  from = kakiyo_agent.gone\n  lifecycle {\n    destroy = false\n  }\n}\n",
				ExpectError: errorRe(`Unsupported block type`, `Blocks of type "removed" are not expected here`),
			},
			{Config: providerBlock(srv)}, // a valid configuration to end on
		},
	})
}

// The functions' examples, and working_days.tf (Terraform 1.8 and later).
func TestAccExamples_functions(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := providerBlock(srv) + readExample(t, "functions/working_days/function.tf") +
		readExample(t, "functions/linkedin_url/function.tf") + readExample(t, "resources/kakiyo_agent/working_days.tf")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(terraform18)},
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("working_days", knownvalue.StringExact("1:1:1:1:0:1:0")),
					statecheck.ExpectKnownOutputValue("profile", knownvalue.StringExact("https://linkedin.com/in/jane-doe")),
					statecheck.ExpectKnownValue("kakiyo_agent.support", tfjsonpath.New("working_hours").AtMapKey("days"),
						knownvalue.StringExact("1:1:0:1:1:0:0")),
				},
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// import-by-identity.tf adopts an existing agent by its identity
// (Terraform 1.12 and later); resource.tf then applies its settings.
func TestAccExamples_importByIdentity(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := srv.AddAgent(kakiyotest.AgentSeed{ID: "69724b7100331796aae2", Status: "running"})
	config := providerBlock(srv) + readExample(t, "resources/kakiyo_agent/import-by-identity.tf") +
		readExample(t, "resources/kakiyo_agent/resource.tf")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("kakiyo_agent.sales", plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("kakiyo_agent.sales", map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
				},
				Check: expectAgentCount(srv, 1),
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// The catalog data sources' examples, together: one call each.
func TestAccExamples_catalogDataSources(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.AddProduct("Kakiyo Pro", "LinkedIn outreach")
	srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
	srv.AddPrompt("Follow-up", "message", "680321c8001e2f527d82")
	config := providerBlock(srv)
	for _, name := range []string{"kakiyo_models", "kakiyo_model", "kakiyo_products", "kakiyo_prompts", "kakiyo_webhook_events"} {
		config += readExample(t, "data-sources/"+name+"/data-source.tf")
	}
	config += `
output "product_ids" {
  value = local.product_ids
}

output "invitation_prompt_ids" {
  value = local.invitation_prompt_ids
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("writer_model_id", knownvalue.StringExact("680321c8001e2f527d82")),
					statecheck.ExpectKnownOutputValue("model_names", knownvalue.ListSizeExact(6)),
					statecheck.ExpectKnownOutputValue("webhook_event_ids", knownvalue.ListSizeExact(6)),
					statecheck.ExpectKnownOutputValue("product_ids", knownvalue.MapExact(map[string]knownvalue.Check{
						"Kakiyo Pro": knownvalue.StringExact("product0000000000001"),
					})),
					statecheck.ExpectKnownOutputValue("invitation_prompt_ids", knownvalue.MapSizeExact(1)),
				},
				Check: func(*terraform.State) error {
					return checkEndpoints(srv, calls{"GET /models": 2, "GET /products": 1, "GET /prompts": 1,
						"GET /webhooks/test/events": 1})
				},
			},
		},
	})
}

// The webhook and do-not-contact examples together, as written: a webhook,
// one entry, a list of three; imports as import.sh shows them; a destroy.
func TestAccExamples_webhookAndDNC(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := providerBlock(srv) + readExample(t, "resources/kakiyo_webhook/resource.tf") +
		readExample(t, "resources/kakiyo_dnc_entry/resource.tf") + readExample(t, "resources/kakiyo_dnc_list/resource.tf")
	for _, f := range []string{"kakiyo_webhook/import.sh", "kakiyo_dnc_entry/import.sh"} {
		if !strings.Contains(readExample(t, "resources/"+f), "terraform import kakiyo_") {
			t.Errorf("%s shows no import", f)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n, urls := srv.WebhookCount(), srv.DNCURLs(); n != 0 || len(urls) != 0 {
				return fmt.Errorf("left: %d webhooks, DNC %q", n, urls)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("kakiyo_webhook.crm", tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("kakiyo_dnc_entry.ceo", tfjsonpath.New("normalized_url"),
						knownvalue.StringExact("https://linkedin.com/in/jane-doe")),
					statecheck.ExpectKnownValue("kakiyo_dnc_list.customers", tfjsonpath.New("urls"), knownvalue.ListSizeExact(3)),
				},
				Check: func(*terraform.State) error {
					if urls := srv.DNCURLs(); len(urls) != 4 {
						return fmt.Errorf("DNC %q", urls)
					}
					return nil
				},
			},
			{ResourceName: "kakiyo_webhook.crm", ImportState: true, ImportStateId: kakiyotest.WebhookID(1), ImportStateVerify: true},
			{ResourceName: "kakiyo_dnc_entry.ceo", ImportState: true, ImportStateVerify: true,
				// By id, whichever the entry got (the list's entries are made at the same time).
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources["kakiyo_dnc_entry.ceo"].Primary.Attributes["id"], nil
				},
				ImportStateVerifyIdentifierAttribute: "normalized_url", ImportStateVerifyIgnore: []string{"url"}},
		},
	})
}

// secret.tf (Terraform 1.11 and later): the secret reaches Kakiyo, from an
// ephemeral variable, and nothing else.
func TestAccExamples_webhookSecret(t *testing.T) {
	srv := kakiyotest.Start(t)
	const secret = "whsec-example-value"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{{
			Config:            providerBlock(srv) + readExample(t, "resources/kakiyo_webhook/secret.tf"),
			ConfigVariables:   config.Variables{"crm_webhook_secret": config.StringVariable(secret)},
			ConfigStateChecks: []statecheck.StateCheck{noSecret{secret, "the webhook secret"}},
			Check: func(*terraform.State) error {
				if w, _ := srv.Webhook(kakiyotest.WebhookID(1)); w.Secret != secret {
					return fmt.Errorf("webhook %+v", w)
				}
				return nil
			},
		}},
	})
}

// The agency examples together, as written, beside the agent, products and
// prompts examples: a protected workspace, its client, the agent assigned,
// a campaign; imports as the import.sh files show them; the destroy pauses
// the campaign (after the protection is lifted and the agent ended).
func TestAccExamples_agency(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.AddProduct("Kakiyo Pro", "LinkedIn outreach")
	srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82")
	config := providerBlock(srv)
	for _, f := range []string{"resources/kakiyo_agent/resource.tf", "data-sources/kakiyo_products/data-source.tf",
		"data-sources/kakiyo_prompts/data-source.tf", "resources/kakiyo_workspace/resource.tf",
		"resources/kakiyo_workspace_client/resource.tf", "resources/kakiyo_workspace_agent/resource.tf",
		"resources/kakiyo_campaign/resource.tf"} {
		config += readExample(t, f)
	}
	for _, f := range []string{"kakiyo_workspace", "kakiyo_workspace_client", "kakiyo_workspace_agent", "kakiyo_campaign"} {
		if !strings.Contains(readExample(t, "resources/"+f+"/import.sh"), "terraform import "+f+".") {
			t.Errorf("%s/import.sh shows no import", f)
		}
	}
	unprotected := strings.Replace(config, "deletion_protection = true", "deletion_protection = false", 1)
	ws, agent, campaign := kakiyotest.WorkspaceID(1), kakiyotest.AgentID(1), kakiyotest.CampaignID(1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if c, _ := srv.Campaign(campaign); c.Status != "paused" || srv.WorkspaceCount() != 0 {
				return fmt.Errorf("campaign %+v, %d workspaces", c, srv.WorkspaceCount())
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("kakiyo_campaign.acme_q4", tfjsonpath.New("qualification_automatic"), knownvalue.Int64Exact(75)),
					statecheck.ExpectKnownValue("kakiyo_workspace.acme", tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
				Check: func(*terraform.State) error {
					if w, _ := srv.Workspace(ws); len(w.Agents) != 1 || len(w.Clients) != 1 {
						return fmt.Errorf("workspace %+v", w)
					}
					return nil
				},
			},
			{ResourceName: "kakiyo_workspace.acme", ImportState: true, ImportStateId: ws, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"deletion_protection"}}, // not in Kakiyo: the default after an import
			{ResourceName: "kakiyo_workspace_agent.acme_sales", ImportState: true, ImportStateId: ws + "/" + agent,
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"propagated"}},
			{ResourceName: "kakiyo_workspace_client.acme_lead", ImportState: true, ImportStateId: ws + "/jane.doe@acme.example",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"membership_id", "user_id", "portal_url", "email_sent"}},
			{ResourceName: "kakiyo_campaign.acme_q4", ImportState: true, ImportStateId: campaign, ImportStateVerify: true},
			{PreConfig: endAgents(t, srv, agent), Config: unprotected},
		},
	})
}
