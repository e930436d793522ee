package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// The import examples of every resource with an identity
// (examples/resources/<type>/import-by-identity.tf and
// import-by-string-id.tf), applied beside the resource examples against
// objects that already exist in Kakiyo: each is adopted, none is created.

// The ids the examples name, and the objects (made out of band) that they
// stand for in a test.
const (
	exampleAgent     = "69724b7100331796aae2"
	exampleWebhook   = "69724b7100331796aae3"
	exampleDNC       = "680321c8001e2f527d82"
	exampleWorkspace = "680321c8001e2f527d90"
	exampleCampaign  = "682c0dfc0036ded6b91c"
)

// existingTeam makes, out of band, what the resource examples describe: the
// agent, the webhook, the do-not-contact entry, the workspace with the agent
// assigned and the client invited, the campaign. It returns the
// replacements of the examples' ids by the double's.
func existingTeam(t *testing.T, srv *kakiyotest.TestServer) *strings.Replacer {
	t.Helper()
	ctx := context.Background()
	c, err := kakiyo.New(kakiyo.Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	agent := srv.AddAgent(kakiyotest.AgentSeed{ID: exampleAgent, Status: "running"})
	webhook := srv.AddWebhook("CRM inbox", "https://crm.example.com/hooks/kakiyo",
		"linkedin.message.received", "linkedin.invitation.accepted", "prospect.qualification.manual")
	dnc := srv.AddDNCOutOfBand("", "https://linkedin.com/in/jane-doe")
	ws := srv.AddWorkspace("Acme Corp")
	if _, err := c.AssignAgent(ctx, ws, agent); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InviteClient(ctx, ws, kakiyo.ClientInvite{Email: "jane.doe@acme.example"}); err != nil {
		t.Fatal(err)
	}
	qa, qv := int64(75), int64(45)
	camp, err := c.CreateCampaign(ctx, kakiyo.CampaignInput{Name: "Acme Q4 outreach", AgentID: agent,
		ProductID: srv.AddProduct("Kakiyo Pro", "LinkedIn outreach"), PromptID: srv.AddPrompt("First touch", "invitation", "680321c8001e2f527d82"),
		QualificationAutomatic: &qa, QualificationVerification: &qv,
		Variables: map[string]string{"companyValue": "Freight that arrives on time", "painPoint": "late shipments"}})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	return strings.NewReplacer(exampleWebhook, webhook, exampleDNC, dnc, exampleWorkspace, ws, exampleCampaign, camp.ID)
}

// importedTypes are the resources with an identity, and their names in the
// examples.
var importedTypes = map[string]string{
	"kakiyo_agent": "sales", "kakiyo_webhook": "crm", "kakiyo_dnc_entry": "ceo", "kakiyo_workspace": "acme",
	"kakiyo_workspace_agent": "acme_sales", "kakiyo_workspace_client": "acme_lead", "kakiyo_campaign": "acme_q4",
}

// importExamples is the resource examples and the products and prompts
// data sources, plus one import file (import-by-identity.tf or
// import-by-string-id.tf) of each resource, with the ids replaced.
func importExamples(t *testing.T, srv *kakiyotest.TestServer, ids *strings.Replacer, importFile string) string {
	config := providerBlock(srv) + readExample(t, "data-sources/kakiyo_products/data-source.tf") +
		readExample(t, "data-sources/kakiyo_prompts/data-source.tf")
	for typ := range importedTypes {
		config += readExample(t, "resources/"+typ+"/resource.tf") + ids.Replace(readExample(t, "resources/"+typ+"/"+importFile))
	}
	return config
}

// expectAdopted: every resource of the examples is imported, and none is
// created or replaced.
type expectAdopted struct{}

func (expectAdopted) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	imported := map[string]bool{}
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Mode != "managed" {
			continue
		}
		if rc.Change.Importing == nil || rc.Change.Actions.Create() || rc.Change.Actions.Replace() {
			resp.Error = fmt.Errorf("%s: actions %v, importing %v", rc.Address, rc.Change.Actions, rc.Change.Importing != nil)
			return
		}
		imported[rc.Type] = true
	}
	if len(imported) != len(importedTypes) {
		resp.Error = fmt.Errorf("imported %v, want every type of %v", imported, importedTypes)
	}
}

func adoptedTeamChecks(srv *kakiyotest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := srv.Count("POST", "/agents") + srv.Count("POST", "/webhooks") + srv.Count("POST", "/dnc") +
			srv.Count("POST", "/workspaces") + srv.Count("POST", "/campaigns"); n != 0 {
			return fmt.Errorf("%d creates", n)
		}
		if srv.WorkspaceCount() != 1 || srv.WebhookCount() != 1 || srv.CampaignCount() != 1 || len(srv.DNCURLs()) != 1 {
			return fmt.Errorf("objects: %d workspaces, %d webhooks, %d campaigns, DNC %q", srv.WorkspaceCount(),
				srv.WebhookCount(), srv.CampaignCount(), srv.DNCURLs())
		}
		return nil
	}
}

// importTeamCase adopts the team with importFile, then tears it down as the
// resource pages say: protection lifted, the agent ended, the campaign
// paused.
func importTeamCase(t *testing.T, srv *kakiyotest.TestServer, config string, checks []statecheck.StateCheck) resource.TestCase {
	unprotected := strings.Replace(config, "deletion_protection = true", "deletion_protection = false", 1)
	return resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if srv.WorkspaceCount() != 0 || srv.WebhookCount() != 0 || len(srv.DNCURLs()) != 0 {
				return fmt.Errorf("left: %d workspaces, %d webhooks, DNC %q", srv.WorkspaceCount(), srv.WebhookCount(), srv.DNCURLs())
			}
			if c, _ := srv.Campaign(kakiyotest.CampaignID(1)); c.Status != "paused" {
				return fmt.Errorf("campaign %+v", c)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectAdopted{}}},
				ConfigStateChecks: checks,
				Check:             adoptedTeamChecks(srv),
			},
			{PreConfig: endAgents(t, srv, exampleAgent), Config: unprotected},
		},
	}
}

// By identity (Terraform 1.12 and later): the state holds each identity.
func TestAccExamples_importEveryObjectByIdentity(t *testing.T) {
	srv := kakiyotest.Start(t)
	ids := existingTeam(t, srv)
	ws := kakiyotest.WorkspaceID(1)
	config := importExamples(t, srv, ids, "import-by-identity.tf")
	tc := importTeamCase(t, srv, config, []statecheck.StateCheck{
		statecheck.ExpectIdentity("kakiyo_agent.sales", map[string]knownvalue.Check{"id": knownvalue.StringExact(exampleAgent)}),
		statecheck.ExpectIdentity("kakiyo_webhook.crm", map[string]knownvalue.Check{"id": knownvalue.StringExact(kakiyotest.WebhookID(1))}),
		statecheck.ExpectIdentity("kakiyo_dnc_entry.ceo", map[string]knownvalue.Check{"url": knownvalue.StringExact("https://linkedin.com/in/jane-doe")}),
		statecheck.ExpectIdentity("kakiyo_workspace.acme", map[string]knownvalue.Check{"id": knownvalue.StringExact(ws)}),
		statecheck.ExpectIdentity("kakiyo_workspace_agent.acme_sales", map[string]knownvalue.Check{
			"workspace_id": knownvalue.StringExact(ws), "agent_id": knownvalue.StringExact(exampleAgent)}),
		statecheck.ExpectIdentity("kakiyo_workspace_client.acme_lead", map[string]knownvalue.Check{
			"workspace_id": knownvalue.StringExact(ws), "email": knownvalue.StringExact("jane.doe@acme.example")}),
		statecheck.ExpectIdentity("kakiyo_campaign.acme_q4", map[string]knownvalue.Check{"id": knownvalue.StringExact(kakiyotest.CampaignID(1))}),
	})
	tc.TerraformVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}
	resource.ParallelTest(t, tc)
}

// By id (Terraform 1.5 and later), the same adoption.
func TestAccExamples_importEveryObjectByID(t *testing.T) {
	srv := kakiyotest.Start(t)
	ids := existingTeam(t, srv)
	config := importExamples(t, srv, ids, "import-by-string-id.tf")
	resource.ParallelTest(t, importTeamCase(t, srv, config, nil))
}

// Before Terraform 1.12, an import block by identity is refused by the CLI
// itself, before any call to Kakiyo.
func TestAccExamples_importByIdentityNeedsTerraform112(t *testing.T) {
	srv := kakiyotest.Start(t)
	ids := existingTeam(t, srv)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0), skipFrom(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config:      importExamples(t, srv, ids, "import-by-identity.tf"),
				ExpectError: errorRe(`An argument named "identity" is not expected here`),
			},
			{PreConfig: func() { assertRequests(t, srv) }, Config: providerBlock(srv)},
		},
	})
}
