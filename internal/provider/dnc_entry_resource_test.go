package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
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

const dncAddr = "kakiyo_dnc_entry.jane"

func dncEntryConfig(srv *kakiyotest.TestServer, url string) string {
	return providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_dnc_entry" "jane" {
  url = %q
}
`, url)
}

func dncListed(srv *kakiyotest.TestServer, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := srv.DNCURLs(); !slices.Equal(got, want) {
			return fmt.Errorf("Kakiyo's DNC list: %q, want %q", got, want)
		}
		return nil
	}
}

// One profile: listed with one POST /dnc (Kakiyo's spelling sent), read
// with one GET /dnc/check; other spellings of the profile plan no change
// (and call nothing but the refresh), another profile replaces the entry; import by URL and by id;
// removed outside Terraform, it is listed again; a destroy is one DELETE.
func TestAccDNCEntryResource_lifecycle(t *testing.T) {
	srv := kakiyotest.Start(t)
	id, id2, id3 := kakiyotest.DNCID(1), kakiyotest.DNCID(2), kakiyotest.DNCID(3)
	const jane = "https://linkedin.com/in/jane-doe"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if urls := srv.DNCURLs(); len(urls) != 0 {
				return fmt.Errorf("left on the list: %q", urls)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: dncEntryConfig(srv, "in/Jane-Doe"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("url"), knownvalue.StringExact("in/Jane-Doe")),
					statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("normalized_url"), knownvalue.StringExact(jane)),
					statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(regexp.MustCompile(`^2026-`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(dncListed(srv, jane), func(*terraform.State) error {
					reqs := srv.Requests()
					if len(reqs) != 1 || reqs[0].Body != `{"url":"https://linkedin.com/in/jane-doe"}` {
						return fmt.Errorf("requests: %+v", reqs)
					}
					return nil
				}),
			},
			// Other spellings of Jane's profile: no change planned (the
			// plan's one check, nothing else), and the state keeps the
			// spelling it has.
			sameProfileStep(srv, "https://www.linkedin.com/in/jane-doe"),
			sameProfileStep(srv, "linkedin.com/in/Jane-Doe/"),
			sameProfileStep(srv, "https://www.linkedin.com/in/jane-doe/"),
			{
				ResourceName:                         dncAddr,
				ImportState:                          true,
				ImportStateId:                        "in/Jane-Doe",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "normalized_url",
			},
			{
				ResourceName:                         dncAddr,
				ImportState:                          true,
				ImportStateId:                        id,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "normalized_url",
				ImportStateVerifyIgnore:              []string{"url"},
			},
			{
				Config: dncEntryConfig(srv, "in/john-smith"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("id"), knownvalue.StringExact(id2)),
					statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("normalized_url"), knownvalue.StringExact("https://linkedin.com/in/john-smith")),
				},
				Check: dncListed(srv, "https://linkedin.com/in/john-smith"),
			},
			{
				// Removed in the dashboard: listed again.
				PreConfig: func() { srv.RemoveDNCOutOfBand("in/john-smith") },
				Config:    dncEntryConfig(srv, "in/john-smith"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("id"), knownvalue.StringExact(id3))},
				Check:             func(*terraform.State) error { srv.ResetRequests(); return nil },
			},
		},
	})
	if got := srv.CountEndpoint("DELETE /dnc/{id}"); got != 1 {
		t.Errorf("the destroy sent %d DELETE /dnc/{id}, want 1", got)
	}
}

// sameProfileStep applies url, another spelling of the profile of
// "in/Jane-Doe" in state: the plan is empty, its refresh is the one call,
// and the state keeps "in/Jane-Doe".
func sameProfileStep(srv *kakiyotest.TestServer, url string) resource.TestStep {
	return resource.TestStep{
		PreConfig: srv.ResetRequests,
		Config:    dncEntryConfig(srv, url),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("id"), knownvalue.StringExact(kakiyotest.DNCID(1))),
			statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("url"), knownvalue.StringExact("in/Jane-Doe")),
			statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("normalized_url"),
				knownvalue.StringExact("https://linkedin.com/in/jane-doe")),
		},
		Check: func(*terraform.State) error { return checkEndpoints(srv, calls{"GET /dnc/check": 1}) },
	}
}

// Entries imported by URL (in another spelling than the configuration's)
// and by id, with import blocks: "1 to import, 0 to change" each, and each
// keeps the spelling the import gave it (by id: Kakiyo's); the next plan of
// yet other spellings is empty too. The import's refresh costs one listing.
func TestAccDNCEntryResource_importOtherSpelling(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.AddDNCOutOfBand("", "https://www.linkedin.com/in/already-there/")
	srv.AddDNCOutOfBand("", "in/other-one")
	entries := func(a, b string) string {
		return providerBlock(srv) + fmt.Sprintf(`
resource "kakiyo_dnc_entry" "a" {
  url = %q
}

resource "kakiyo_dnc_entry" "b" {
  url = %q
}
`, a, b)
	}
	imports := `
import {
  to = kakiyo_dnc_entry.a
  id = "https://www.linkedin.com/in/Already-There/"
}

import {
  to = kakiyo_dnc_entry.b
  id = "` + kakiyotest.DNCID(2) + `"
}
`
	urls := func(a, b string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue("kakiyo_dnc_entry.a", tfjsonpath.New("url"), knownvalue.StringExact(a)),
			statecheck.ExpectKnownValue("kakiyo_dnc_entry.a", tfjsonpath.New("id"), knownvalue.StringExact(kakiyotest.DNCID(1))),
			statecheck.ExpectKnownValue("kakiyo_dnc_entry.b", tfjsonpath.New("url"), knownvalue.StringExact(b)),
			statecheck.ExpectKnownValue("kakiyo_dnc_entry.b", tfjsonpath.New("id"), knownvalue.StringExact(kakiyotest.DNCID(2))),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{
				Config: entries("in/already-there", "linkedin.com/in/Other-One/") + imports,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("kakiyo_dnc_entry.a", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("kakiyo_dnc_entry.b", plancheck.ResourceActionNoop),
						plancheck.ExpectKnownValue("kakiyo_dnc_entry.a", tfjsonpath.New("url"),
							knownvalue.StringExact("https://www.linkedin.com/in/Already-There/")),
						plancheck.ExpectKnownValue("kakiyo_dnc_entry.b", tfjsonpath.New("url"),
							knownvalue.StringExact("https://linkedin.com/in/other-one")),
					},
				},
				ConfigStateChecks: urls("https://www.linkedin.com/in/Already-There/", "https://linkedin.com/in/other-one"),
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    entries("linkedin.com/in/ALREADY-THERE", "in/other-one"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: urls("https://www.linkedin.com/in/Already-There/", "https://linkedin.com/in/other-one"),
				// Two entries refreshed: the walk's first two reads go by
				// GET /dnc/check, one each.
				Check: func(*terraform.State) error { return checkEndpoints(srv, calls{"GET /dnc/check": 2}) },
			},
		},
	})
}

// Identity (Terraform 1.12 and later) is the profile as Kakiyo stores it:
// an import block may name it so.
func TestAccDNCEntryResource_identity(t *testing.T) {
	srv := kakiyotest.Start(t)
	const jane = "https://linkedin.com/in/jane-doe"
	srv.AddDNCOutOfBand("", "in/jane-doe")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: dncEntryConfig(srv, jane) + `
import {
  to       = kakiyo_dnc_entry.jane
  identity = { url = "https://linkedin.com/in/jane-doe" }
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncAddr, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(dncAddr, map[string]knownvalue.Check{"url": knownvalue.StringExact(jane)}),
					statecheck.ExpectKnownValue(dncAddr, tfjsonpath.New("id"), knownvalue.StringExact(kakiyotest.DNCID(1))),
				},
			},
		},
	})
}

// A profile already listed outside Terraform: the error says so and shows
// the import block that adopts it; nothing is changed in Kakiyo.
func TestAccDNCEntryResource_alreadyListed(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.AddDNCOutOfBand("", "https://www.linkedin.com/in/jane-doe/")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: dncEntryConfig(srv, "in/jane-doe"),
				ExpectError: errorRe("Profile already on the Do Not Contact list", "in/jane-doe", "HTTP status: 409",
					"import {", "to = kakiyo_dnc_entry.<name>", `id = "in/jane-doe"`),
			},
			{
				// The import block of the message adopts it.
				Config: dncEntryConfig(srv, "in/jane-doe") + `
import {
  to = kakiyo_dnc_entry.jane
  id = "in/jane-doe"
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncAddr, plancheck.ResourceActionNoop)},
				},
				Check: resource.TestCheckResourceAttr(dncAddr, "id", kakiyotest.DNCID(1)),
			},
		},
	})
}

// Errors name the value at fault: what is not a profile URL is refused at
// plan time, Kakiyo's own validation_error is shown as it came.
func TestAccDNCEntryResource_invalidURL(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      dncEntryConfig(srv, "https://linkedin.com/company/acme"),
				ExpectError: errorRe("Invalid LinkedIn profile URL", `"https://linkedin.com/company/acme" is not a LinkedIn profile URL`, "in/jane-doe"),
			},
			{
				Config:      dncEntryConfig(srv, "https://example.com/in/jane"),
				ExpectError: errorRe("Invalid LinkedIn profile URL", "is not a LinkedIn URL"),
			},
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/dnc", kakiyotest.Fault{Status: http.StatusBadRequest, Times: 1,
						Body: `{"error":"validation_error","message":"Invalid LinkedIn URL"}`})
				},
				Config:      dncEntryConfig(srv, "in/jane-doe"),
				ExpectError: errorRe("Kakiyo rejected the do-not-contact entry settings", "https://linkedin.com/in/jane-doe", "Invalid LinkedIn URL"),
			},
		},
	})
	if urls := srv.DNCURLs(); len(urls) != 0 {
		t.Errorf("listed: %q", urls)
	}
}

// The answer to POST /dnc is lost after Kakiyo listed the profile: the
// retry meets 409, and the entry is read and kept, not reported as someone
// else's.
func TestAccDNCEntryResource_lostAnswer(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.InjectFault("POST", "/dnc", kakiyotest.Fault{Status: http.StatusBadGateway, Body: "<html>502</html>", AfterHandling: true, Times: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: dncEntryConfig(srv, "in/jane-doe"),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(dncAddr, "id", kakiyotest.DNCID(1)),
				dncListed(srv, "https://linkedin.com/in/jane-doe"),
				func(*terraform.State) error {
					return checkEndpoints(srv, calls{"POST /dnc": 2, "GET /dnc/check": 1})
				}),
		}},
	})
}

// Many entries in one run share one listing (GET /dnc, 1,000 a page)
// instead of a check each.
func TestAccDNCEntryResource_manyShareOneListing(t *testing.T) {
	srv := kakiyotest.Start(t)
	for i := range 1500 {
		srv.AddDNCOutOfBand("", fmt.Sprintf("in/someone-%d", i))
	}
	config := providerBlock(srv) + `
resource "kakiyo_dnc_entry" "staff" {
  count = 5
  url   = "in/staff-${count.index}"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: func(*terraform.State) error { srv.ResetRequests(); return nil }},
			{
				Config:   config,
				PlanOnly: true,
			},
			{
				// 1,505 entries: two pages of 1,000, for the five reads.
				PreConfig: func() { assertEndpoints(t, srv, calls{"GET /dnc": 4}) },
				Config:    config,
				PlanOnly:  true,
			},
		},
	})
}

// At apply time: an entry already gone counts as removed; another team's
// entry (403) is not removed and stays in the state.
func TestAccDNCEntryResource_deleteAnswers(t *testing.T) {
	srv := kakiyotest.Start(t)
	config := dncEntryConfig(srv, "in/jane-doe")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					srv.InjectFault("DELETE", "/dnc/"+kakiyotest.DNCID(1), kakiyotest.Fault{Status: http.StatusForbidden, Times: 1,
						Body: `{"error":"forbidden","message":"DNC entry belongs to another team"}`})
				},
				Config:      config,
				Destroy:     true,
				ExpectError: errorRe("No access to Kakiyo do-not-contact entry", "remove", kakiyotest.DNCID(1), "HTTP status: 403", "belongs to another team"),
			},
			{
				// Still in the state: the same configuration plans nothing.
				Config:   config,
				PlanOnly: true,
			},
			{
				// Removed between the plan and the DELETE: counted as removed.
				PreConfig: func() {
					srv.OnRequest(func(method, path string) {
						if method == "DELETE" {
							srv.RemoveDNCOutOfBand("in/jane-doe")
						}
					})
				},
				Config:  config,
				Destroy: true,
				Check: func(*terraform.State) error {
					srv.OnRequest(nil)
					return nil
				},
			},
		},
	})
}
