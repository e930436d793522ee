package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// Answers that are not what Kakiyo documents give a clear error, never a
// crash, and lose nothing: the agent stays in state through all of them.
func TestAccAgentResource_hostileAnswers(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	path := "/agents/" + id
	config := agentConfig(srv, ``)
	hostile := func(body string, want ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				srv.ClearFaults()
				srv.InjectFault("GET", path, kakiyotest.Fault{Status: 200, Body: body})
			},
			Config:      config,
			PlanOnly:    true,
			ExpectError: errorRe(append([]string{"Unexpected response from Kakiyo", "answered HTTP 200", `read Kakiyo agent "` + id + `"`}, want...)...),
		}
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			hostile(`{"id":"`+id+`","status":"runn`, "the answer is not JSON", `{"id":"`),
			hostile(`<!DOCTYPE html><html><body>Maintenance</body></html>`, "Maintenance"),
			hostile(`{"id":"`+id+`","status":["running"]}`, "cannot unmarshal array"),
			hostile(``, "Response body: (empty)"),
			hostile(`{"id":"`+id+`","login":"`+strings.Repeat("x", 33<<20)+`"}`, "larger than"),
			{
				// A status the documentation does not list is shown as is, and,
				// not being "ended", stops a destroy like any other.
				PreConfig: func() {
					srv.ClearFaults()
					srv.SetAgentStatus(id, "hibernating")
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("hibernating")),
				},
			},
			{Config: config, Destroy: true, ExpectError: errorRe("Kakiyo agent not ended", `"hibernating"`)},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}
