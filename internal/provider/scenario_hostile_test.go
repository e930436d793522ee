package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// The hostile world (issue: nothing lost, nothing duplicated, nothing
// leaked). Each test drives the provider through the real CLI against the
// double, with what a proxy, a wrong base_url, a redirect or a broken API
// answers, and asserts the invariants after every step: Kakiyo's objects
// are the state's (none lost, none twice), no secret reaches another host,
// and the calls are bounded.

// providerAt configures the provider against base (any URL), with the
// double's key and fast retries.
func providerAt(base string, extra ...string) string {
	return requiredProviders + fmt.Sprintf(`
provider "kakiyo" {
  base_url       = %q
  api_key        = %q
  retry_wait_min = "1ms"
  retry_wait_max = "20ms"
%s
}
`, base, kakiyotest.DefaultAPIKey, strings.Join(extra, "\n"))
}

const threeAgents = `
resource "kakiyo_agent" "team" {
  count = 3
}
`

// stateAgents is a Check: the state holds exactly the agents Kakiyo has,
// and Kakiyo holds n.
func stateAgents(srv *kakiyotest.TestServer, n int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		inState := map[string]bool{}
		for _, rs := range s.RootModule().Resources {
			if rs.Type == "kakiyo_agent" {
				inState[rs.Primary.ID] = true
			}
		}
		ids := srv.AgentIDs()
		if len(ids) != n || len(inState) != n {
			return fmt.Errorf("Kakiyo has %d agents %v and the state %d %v; want %d each", len(ids), ids, len(inState), inState, n)
		}
		for _, id := range ids {
			if !inState[id] {
				return fmt.Errorf("agent %s is in Kakiyo but not in the state (lost)", id)
			}
		}
		return nil
	}
}

// A base_url without /v1 answers Kakiyo-style 404 "Route not found" for
// every path, GET /verify included. Neither the plan nor the apply
// concludes that the agents are gone: both fail naming base_url, the state
// keeps the 3 agents, and nothing is created; with the right URL again, the
// plan is empty and Kakiyo still has 3 agents (not 6).
func TestAccHostile_wrongBaseURL(t *testing.T) {
	srv := kakiyotest.Start(t)
	right := providerBlock(srv) + threeAgents
	wrong := providerAt(srv.HTTP.URL) + threeAgents // no /v1
	wantErr := errorRe("Kakiyo base_url does not answer as the Kakiyo API", srv.HTTP.URL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: right, Check: stateAgents(srv, 3)},
			{PreConfig: srv.ResetRequests, Config: wrong, PlanOnly: true, ExpectError: wantErr},
			{
				// The plan's refresh: one listing (404: a wrong base URL, never
				// an empty team), each agent by id, and one GET /verify, whose
				// 404 is remembered for the rest of the run.
				PreConfig: func() {
					assertCounts(t, srv, map[string]int{"GET /agents": 1, "GET /agents/{id}": 3, "GET /verify": 1})
				},
				Config: wrong, ExpectError: wantErr,
			},
			{
				PreConfig: func() {
					if n := srv.Count("POST", "/agents"); n != 0 {
						t.Errorf("the apply with the wrong base_url sent %d creates", n)
					}
					srv.ResetRequests()
				},
				Config:           right,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            stateAgents(srv, 3),
			},
			{PreConfig: endAll(t, srv), Config: right, Destroy: true},
			checkAfterDestroy(t, func(*terraform.State) error { return stateAgentsGone(srv) }),
		},
	})
}

// assertCounts asserts how many requests the double got per method and
// path template ("GET /agents/{id}": any id), since the last reset, for
// requests whether or not they matched a route.
func assertCounts(t *testing.T, srv *kakiyotest.TestServer, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for _, r := range srv.Requests() {
		got[r.Method+" "+templateOf(r.Path)]++
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests by endpoint: got %v, want %v", got, want)
	}
	srv.ResetRequests()
}

// templateOf names a path's template: /agents/abc is /agents/{id}.
func templateOf(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i := 1; i < len(parts); i += 2 {
		parts[i] = "{id}"
	}
	return "/" + strings.Join(parts, "/")
}

// endAll is a PreConfig: Kakiyo ends every agent it has at that moment.
func endAll(t *testing.T, srv *kakiyotest.TestServer) func() {
	return func() { endAgents(t, srv, srv.AgentIDs()...)() }
}

func stateAgentsGone(srv *kakiyotest.TestServer) error {
	if ids := srv.AgentIDs(); len(ids) != 0 {
		return fmt.Errorf("agents left in Kakiyo: %v", ids)
	}
	return nil
}

// A proxy in front of Kakiyo answering its own 404 (an nginx HTML page, or
// an empty body) to every read: a refresh-only apply fails, saying the 404
// is not Kakiyo's; no agent leaves the state.
func TestAccHostile_proxyNotFound(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := providerBlock(srv) + threeAgents
	proxy := func(f kakiyotest.Fault) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				srv.ClearFaults()
				srv.InjectFault("GET", "*", f)
			},
			RefreshState: true,
			ExpectError:  errorRe("Unexpected 404 from the Kakiyo API", "Nothing was removed from the Terraform state"),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: stateAgents(srv, 3)},
			proxy(kakiyotest.HTMLNotFound),
			proxy(kakiyotest.EmptyNotFound),
			{
				PreConfig:        srv.ClearFaults,
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            stateAgents(srv, 3),
			},
			{PreConfig: endAll(t, srv), Config: config, Destroy: true},
			checkAfterDestroy(t, func(*terraform.State) error { return stateAgentsGone(srv) }),
		},
	})
}

// GET /agents/{id} answering 200 with Kakiyo's not_found error body, or
// with another agent: not the agent, so not stored. The plan fails, and
// the state keeps the agent's status and usage as they were.
func TestAccHostile_answerThatIsNotTheAgent(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)
	notIt := func(f kakiyotest.Fault, want string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() {
				srv.ClearFaults()
				srv.InjectFault("GET", "/agents/"+id, f)
			},
			Config:      config,
			PlanOnly:    true,
			ExpectError: errorRe("Unexpected response from Kakiyo", want, "Nothing of it was stored"),
		}
	}
	kept := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("status"), knownvalue.StringExact("setup_needed")),
		statecheck.ExpectKnownValue(agentAddr, tfjsonpath.New("usage"), knownvalue.NotNull()),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: kept},
			notIt(kakiyotest.NotFoundAsOK, "an error in Kakiyo's format"),
			notIt(kakiyotest.Fault{Status: 200, Body: `{"id":"someoneelse0000000001","status":"running"}`}, `"someoneelse0000000001", not the agent`),
			notIt(kakiyotest.Fault{Status: 200, Body: `{"message":"ok"}`}, "names no agent id"),
			notIt(kakiyotest.HTMLPortal, "not JSON"),
			{PreConfig: srv.ClearFaults, Config: config, ConfigStateChecks: kept,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// POST /agents handled by Kakiyo (the agent exists) but answered with an
// HTML page, with {"message":"ok"}, or with an error body under 201: a
// lost answer, settled by the listing that adopts the agent Kakiyo made.
// One agent in Kakiyo, the same one in the state; nothing created twice.
func TestAccHostile_createAnsweredWithSomethingElse(t *testing.T) {
	for name, f := range map[string]kakiyotest.Fault{
		"HTML 200":          kakiyotest.AnsweredNotTheObject(200, `<html><body>OK</body></html>`),
		"201 without an id": kakiyotest.AnsweredNotTheObject(201, `{"message":"ok"}`),
		"201 error body":    kakiyotest.AnsweredNotTheObject(201, `{"error":"internal_error","message":"An internal error occurred"}`),
	} {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			id := kakiyotest.AgentID(1)
			config := agentConfig(srv, ``)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
				Steps: []resource.TestStep{
					{
						PreConfig: func() { srv.InjectFault("POST", "/agents", once(f)) },
						Config:    config,
						Check: resource.ComposeTestCheckFunc(stateAgents(srv, 1),
							resource.TestCheckResourceAttr(agentAddr, "id", id),
							func(*terraform.State) error {
								// The baseline listing, the POST, the listing that found it.
								return checkEndpoints(srv, calls{"GET /agents": 2, "POST /agents": 1})
							}),
					},
					{PreConfig: endAgents(t, srv, id), Config: config},
				},
			})
		})
	}
}

// once is f for the next matching request only.
func once(f kakiyotest.Fault) kakiyotest.Fault {
	f.Times = 1
	return f
}

// The same for a webhook: POST /webhooks handled, answered with HTML; the
// webhook Kakiyo made is adopted, not created twice.
func TestAccHostile_webhookCreateAnsweredWithHTML(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := providerBlock(srv) + `
resource "kakiyo_webhook" "crm" {
  name   = "CRM"
  url    = "https://hooks.example.com/kakiyo"
  events = ["linkedin.message.received"]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/webhooks", once(kakiyotest.AnsweredNotTheObject(200, `<html>ok</html>`)))
				},
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("kakiyo_webhook.crm", "id", kakiyotest.WebhookID(1)),
					func(*terraform.State) error {
						if n := srv.WebhookCount(); n != 1 {
							return fmt.Errorf("%d webhooks in Kakiyo, want 1", n)
						}
						return checkEndpoints(srv, calls{"POST /webhooks": 1, "GET /webhooks": 1})
					}),
			},
		},
	})
}

// Redirects are never followed: a 307 from POST /agents/{id}/setup, or
// from POST /webhooks, to another host:port sends nothing there: neither
// the LinkedIn password, nor the webhook secret, nor the API key. The
// error names the redirect and base_url. (Write-only values need Terraform
// 1.11; TestAccHostile_redirectCarriesNoKey is the older CLIs' part.)
func TestAccHostile_redirectCarriesNoSecret(t *testing.T) {
	srv := kakiyotest.Start(t)
	foreign := kakiyotest.StartForeign(t)
	id := kakiyotest.AgentID(1)
	const password, secret = "LinkedIn-Pa55word!", "whsec-0123456789abcdef"
	agent := agentConfig(srv, fmt.Sprintf(`
  linkedin = {
    login               = "jane@example.com"
    password_wo         = %q
    password_wo_version = 1
  }
`, password))
	webhook := providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_webhook" "crm" {
  name              = "CRM"
  url               = "https://hooks.example.com/kakiyo"
  events            = ["*"]
  secret_wo         = %q
  secret_wo_version = 1
}
`, secret)
	nothingElsewhere := func() {
		for what, s := range map[string]string{"the password": password, "the secret": secret, "the API key": kakiyotest.DefaultAPIKey} {
			if foreign.Saw(s) {
				t.Errorf("the other host got %s", what)
			}
		}
		if n := foreign.Requests(); n != 0 {
			t.Errorf("the other host got %d requests", n)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/webhooks", kakiyotest.RedirectTo(http.StatusPermanentRedirect, foreign.HTTP.URL+"/v1/webhooks"))
				},
				// A redirected create may have been handled: each is settled by a
				// listing, which shows no webhook, and the create is sent again,
				// three times in all, redirected each time.
				Config:      webhook,
				ExpectError: errorRe("Kakiyo webhook not created", "lost 3 times", "HTTP 308", "not followed"),
			},
			{
				// No webhook was created: Kakiyo lists none.
				PreConfig: func() {
					nothingElsewhere()
					if n := srv.WebhookCount(); n != 0 {
						t.Errorf("%d webhooks in Kakiyo after a redirected create", n)
					}
					if err := checkEndpoints(srv, calls{"POST /webhooks": 3, "GET /webhooks": 3}); err != nil {
						t.Error(err)
					}
					srv.ClearFaults()
					srv.InjectFault("POST", "/agents/"+id+"/setup", kakiyotest.RedirectTo(http.StatusTemporaryRedirect,
						foreign.HTTP.URL+"/v1/agents/"+id+"/setup"))
				},
				Config:      agent,
				ExpectError: errorRe("Kakiyo API answered with a redirect", "HTTP 307", "Nothing was sent there", "base_url"),
			},
			{
				// The agent is tainted (its setup failed): Kakiyo ends it, and the
				// apply replaces it, its LinkedIn account set up.
				PreConfig: func() {
					nothingElsewhere()
					srv.ClearFaults()
					endAll(t, srv)()
				},
				Config: agent,
				Check:  stateAgents(srv, 1),
			},
			{PreConfig: endAll(t, srv), Config: agent, Destroy: true},
			checkAfterDestroy(t, func(*terraform.State) error { return stateAgentsGone(srv) }),
		},
	})
}

// Before Terraform 1.11 (no write-only values), the redirect of a read to
// another host sends it nothing either, not even the API key.
func TestAccHostile_redirectCarriesNoKey(t *testing.T) {
	srv := kakiyotest.Start(t)
	foreign := kakiyotest.StartForeign(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.InjectFault("GET", "/agents/"+id, kakiyotest.RedirectTo(http.StatusFound, foreign.HTTP.URL+"/v1/agents/"+id))
				},
				Config: config, PlanOnly: true,
				ExpectError: errorRe("Kakiyo API answered with a redirect", "HTTP 302"),
			},
			{
				PreConfig: func() {
					if n := foreign.Requests(); n != 0 || foreign.Saw(kakiyotest.DefaultAPIKey) {
						t.Errorf("the other host got %d requests", n)
					}
					srv.ClearFaults()
				},
				Config: config,
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// A listing whose pages never advance (each page's request gets the first
// page of 2, under a total of a million): the run stops it at the second
// page, serves the 2 agents of the first page from it, and reads the 3
// others by id. 2 + 3 calls, not 1,000 pages.
func TestAccHostile_stuckListing(t *testing.T) {
	for name, paging := range map[string]kakiyotest.Paging{"offset": kakiyotest.PagingOffset, "cursor": kakiyotest.PagingCursor} {
		t.Run(name, func(t *testing.T) {
			srv := kakiyotest.Start(t)
			srv.SetAgentList(kakiyotest.ListObjectKey, paging, 2)
			config := providerBlock(srv) + `
resource "kakiyo_agent" "team" {
  count = 5
}
`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config, Check: stateAgents(srv, 5)},
					{
						PreConfig: func() {
							srv.SetAgentListStuck(true)
							srv.ResetRequests()
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan()}},
						Check: resource.ComposeTestCheckFunc(stateAgents(srv, 5), func(*terraform.State) error {
							return checkEndpoints(srv, calls{"GET /agents": 2, "GET /agents/{id}": 3})
						}),
					},
					{PreConfig: endAll(t, srv), Config: config, Destroy: true},
					checkAfterDestroy(t, func(*terraform.State) error { return stateAgentsGone(srv) }),
				},
			})
		})
	}
}

// Impossible import ids get a clear error naming the expected form, before
// any call: ".", "..", a path, a space. (The empty id is tested through
// `terraform import` in TestAccHostile_importEmptyID.)
func TestAccHostile_importImpossibleIDs(t *testing.T) {
	srv := kakiyotest.Start(t)
	id := kakiyotest.AgentID(1)
	config := agentConfig(srv, ``)
	importID := func(raw string) resource.TestStep {
		return resource.TestStep{
			PreConfig:     srv.ResetRequests,
			Config:        config,
			ResourceName:  agentAddr,
			ImportState:   true,
			ImportStateId: raw,
			ExpectError:   errorRe("Invalid Kakiyo agent id", exampleID, "Nothing was sent to Kakiyo"),
		}
	}
	noCalls := func() {
		if reqs := srv.Requests(); len(reqs) != 0 {
			t.Errorf("an impossible import id made %d calls: %v", len(reqs), reqs)
		}
	}
	steps := []resource.TestStep{{Config: config}}
	for i, raw := range []string{".", "..", "a/b", "../agents", "agent 1", "%2e"} {
		if i == 0 {
			steps = append(steps, importID(raw))
			continue
		}
		steps = append(steps, withPreConfig(importID(raw), noCalls))
	}
	steps = append(steps, resource.TestStep{PreConfig: func() { noCalls(); endAgents(t, srv, id)() }, Config: config})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps:                    steps,
	})
}

// Two runs on one API key: run A's create answer is lost and Kakiyo made
// nothing for it, while run B creates an agent. With adopt_lost_creates =
// false, A adopts none (it cannot tell B's agent from its own): it fails
// naming B's agent with an import block, and B's agent stays B's alone
// (no setting, no LinkedIn login written onto it). With the default (true),
// A would adopt it: that is the documented trade-off of the setting.
func TestAccHostile_concurrentRunNotAdopted(t *testing.T) {
	srv := kakiyotest.Start(t)
	theirs := "theirs00000000000001"
	config := providerBlock(srv, "adopt_lost_creates = false") + `
resource "kakiyo_agent" "test" {
  working_hours = { days = "1:1:1:1:1:0:0", start = "09:00", stop = "17:00" }
}
`
	adopting := providerBlock(srv) + `
resource "kakiyo_agent" "test" {
  working_hours = { days = "1:1:1:1:1:0:0", start = "09:00", stop = "17:00" }
}
`
	// A's POST is cut off before Kakiyo handles it; B creates one meanwhile.
	aLosesBMakes := func() {
		srv.ClearFaults()
		srv.InjectFault("POST", "/agents", kakiyotest.Fault{Reset: true, Times: 1})
		srv.OnRequest(func(method, path string) {
			if method == "POST" && path == "/agents" {
				srv.OnRequest(nil)
				srv.AddAgent(kakiyotest.AgentSeed{ID: theirs, Status: "setup_needed"})
			}
		})
		srv.ResetRequests()
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   aLosesBMakes,
				Config:      config,
				ExpectError: errorRe("Kakiyo may have created an agent: not adopted", "adopt_lost_creates = false", `id = "`+theirs+`"`),
			},
			{
				PreConfig: func() {
					if n := srv.CountEndpoint("PUT /agents/{id}"); n != 0 {
						t.Errorf("run A wrote settings onto B's agent (%d PUTs)", n)
					}
					if ids := srv.AgentIDs(); len(ids) != 1 || ids[0] != theirs {
						t.Errorf("agents in Kakiyo: %v, want only B's", ids)
					}
					srv.RemoveAgent(theirs) // B's run ends; A tries again with the default
					aLosesBMakes()
				},
				Config: adopting,
				Check:  resource.TestCheckResourceAttr(agentAddr, "id", theirs),
			},
			{PreConfig: endAgents(t, srv, theirs), Config: adopting, Destroy: true},
			checkAfterDestroy(t, func(*terraform.State) error { return stateAgentsGone(srv) }),
		},
	})
}

// The same for a do-not-contact entry: POST /dnc handled, answered 201 with
// HTML; the profile's entry (one GET /dnc/check) is the one Kakiyo made, and
// it is saved, not added twice.
func TestAccHostile_dncAddAnsweredWithHTML(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				srv.InjectFault("POST", "/dnc", once(kakiyotest.AnsweredNotTheObject(201, `<html>Created</html>`)))
			},
			Config: dncEntryConfig(srv, "in/jane-doe"),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(dncAddr, "id", kakiyotest.DNCID(1)),
				func(*terraform.State) error {
					if urls := srv.DNCURLs(); len(urls) != 1 {
						return fmt.Errorf("Kakiyo lists %v, want one entry", urls)
					}
					return checkEndpoints(srv, calls{"POST /dnc": 1, "GET /dnc/check": 1})
				}),
		}},
	})
}
