package provider

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// queryConfig is a .tfquery.hcl: its list blocks use the provider
// configured in the step before (a Config step with providerBlock).
func queryConfig(lists string) string { return lists }

const listAll = `
list "kakiyo_agent" "all" {
  provider = kakiyo
}
`

func identityOf(id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}
}

// terraform query with the kakiyo_agent list resource (Terraform 1.14 and
// later): every agent of the team and no other, with its identity and a
// readable name; a status filter; a listing that pages; an empty team. Each
// query costs one listing of the team's agents (one call per page).
func TestAccAgentListResource(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetAgentList(kakiyotest.ListObjectKey, kakiyotest.PagingOffset, 2)
	jane := srv.AddAgent(kakiyotest.AgentSeed{Status: "running", Name: "Jane Doe", Login: "jane@example.com"})
	ended := srv.AddAgent(kakiyotest.AgentSeed{Status: "ended"})
	paused := srv.AddAgent(kakiyotest.AgentSeed{Status: "paused", Name: "Max Mustermann"})
	srv.AddAgent(kakiyotest.AgentSeed{Team: "team_other", Status: "running"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: providerBlock(srv)},
			{
				PreConfig: srv.ResetRequests,
				Query:     true,
				Config:    queryConfig(listAll),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("kakiyo_agent.all", 3),
					querycheck.ExpectIdentity("kakiyo_agent.all", identityOf(jane)),
					querycheck.ExpectIdentity("kakiyo_agent.all", identityOf(ended)),
					querycheck.ExpectIdentity("kakiyo_agent.all", identityOf(paused)),
					querycheck.ExpectResourceDisplayName("kakiyo_agent.all", queryfilter.ByResourceIdentity(identityOf(jane)),
						knownvalue.StringExact("Jane Doe")),
					querycheck.ExpectResourceDisplayName("kakiyo_agent.all", queryfilter.ByResourceIdentity(identityOf(ended)),
						knownvalue.StringExact(ended+" (ended)")),
				},
			},
			{
				PreConfig: func() {
					// Three agents in pages of two: two calls, once.
					assertEndpoints(t, srv, calls{"GET /agents": 2})
				},
				Query: true,
				Config: queryConfig(`
list "kakiyo_agent" "stopped" {
  provider = kakiyo
  config {
    status = ["ended", "paused"]
  }
}
`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("kakiyo_agent.stopped", 2),
					querycheck.ExpectIdentity("kakiyo_agent.stopped", identityOf(ended)),
					querycheck.ExpectIdentity("kakiyo_agent.stopped", identityOf(paused)),
				},
			},
			{
				PreConfig: func() {
					for _, id := range []string{jane, ended, paused} {
						srv.RemoveAgent(id)
					}
					srv.ResetRequests()
				},
				Query:  true,
				Config: queryConfig(listAll),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("kakiyo_agent.all", 0),
				},
			},
			{
				PreConfig: func() { assertEndpoints(t, srv, calls{"GET /agents": 1}) },
				Config:    providerBlock(srv),
			},
		},
	})
}

// The two commands of the README's "Adopt every existing agent", through
// the real CLI and the provider binary: terraform query writes an import
// block and a resource block per agent, and the plan that follows imports
// them all with no change. (The testing framework cannot run
// -generate-config-out; this test builds the provider and runs the CLI in a
// sandbox.)
func TestAccAgentListResource_generateConfig(t *testing.T) {
	cli := terraformAtLeast(t, tfversion.Version1_14_0)
	srv := kakiyotest.Start(t)
	for i := 0; i < 3; i++ {
		srv.AddAgent(kakiyotest.AgentSeed{Status: []string{"running", "ended", "paused"}[i], Name: []string{"Jane Doe", "", "Max"}[i]})
	}
	bin, err := sandbox.BuildProvider(context.Background(), filepath.Join("..", ".."), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(cli, bin, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	if err := sb.WriteFile("main.tf", requiredProviders+"\nprovider \"kakiyo\" {}\n"); err != nil {
		t.Fatal(err)
	}
	if err := sb.WriteFile("agents.tfquery.hcl", readExample(t, "list-resources/kakiyo_agent/list-resource.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	q := sb.Run(context.Background(), "query", "-generate-config-out=generated.tf", "-no-color")
	if q.Err != nil || strings.Count(q.Output, "list.kakiyo_agent.all") != 3 || !strings.Contains(q.Output, "Jane Doe") {
		t.Fatalf("terraform query: %v\n%s", q.Err, q.Output)
	}
	p := sb.Run(context.Background(), "plan", "-no-color")
	if p.Err != nil || !strings.Contains(p.Output, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("terraform plan of the generated configuration: %v\n%s", p.Err, p.Output)
	}
	// One listing for the query, one for the plan's three imports.
	if err := checkEndpoints(srv, calls{"GET /agents": 2}); err != nil {
		t.Error(err)
	}
}
