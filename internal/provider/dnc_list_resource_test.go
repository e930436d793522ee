package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

const dncListAddr = "kakiyo_dnc_list.customers"

// dncListConfig is a kakiyo_dnc_list of urls. The client-side rate limit is
// off: the double does not enforce Kakiyo's limits here, and 2,500 removals
// at Kakiyo's 30 a minute would take 84 minutes (make bench measures the
// pace).
func dncListConfig(srv *kakiyotest.TestServer, urls []string) string {
	quoted := make([]string, len(urls))
	for i, u := range urls {
		quoted[i] = fmt.Sprintf("    %q,", u)
	}
	return providerBlock(srv, `  requests_per_minute = 0`) + fmt.Sprintf(`
resource "kakiyo_dnc_list" "customers" {
  urls = [
%s
  ]
}
`, strings.Join(quoted, "\n"))
}

// profileURLs returns n profile URLs, spelled in turn in each way Kakiyo
// accepts.
func profileURLs(n int) []string {
	const from = 0
	spellings := []string{"https://www.linkedin.com/in/customer-%d/", "linkedin.com/in/Customer-%d", "in/customer-%d",
		"https://linkedin.com/in/customer-%d"}
	out := make([]string, n)
	for i := range n {
		out[i] = fmt.Sprintf(spellings[(from+i)%len(spellings)], from+i)
	}
	return out
}

// exactStrings checks a list of exactly these strings, in this order.
func exactStrings(want []string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(want))
	for i, w := range want {
		checks[i] = knownvalue.StringExact(w)
	}
	return knownvalue.ListExact(checks)
}

func canonical(urls []string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = kakiyotest.DNCProfileURL(u)
	}
	slices.Sort(out)
	return out
}

// 2,500 profiles: three POST /dnc/batch (1,000 a call); a plan that changes
// nothing reads three pages of GET /dnc (limit=1000). Entries that others
// listed are left alone, one listed before is adopted; the destroy removes
// exactly this resource's entries.
func TestAccDNCListResource_2500(t *testing.T) {
	srv := kakiyotest.Start(t)
	urls := profileURLs(2500)
	// Listed by others: one of ours (adopted) and two of theirs (left alone).
	srv.AddDNCOutOfBand("", "in/customer-7")
	srv.AddDNCOutOfBand("", "in/partner-1")
	srv.AddDNCOutOfBand("", "in/partner-2")
	config := dncListConfig(srv, urls)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if got := srv.DNCURLs(); !slices.Equal(got, []string{"https://linkedin.com/in/partner-1", "https://linkedin.com/in/partner-2"}) {
				return fmt.Errorf("left on the list: %d entries, want the two partners", len(got))
			}
			// The destroy's plan lists the entries (three pages), the destroy
			// lists them once more for their ids, then one DELETE each.
			return checkEndpoints(srv, calls{"GET /dnc": 6, "DELETE /dnc/{id}": 2500})
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dncListAddr, tfjsonpath.New("urls"), knownvalue.ListSizeExact(2500)),
					statecheck.ExpectKnownValue(dncListAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^dnc-list-[0-9a-f]{12}$`))),
				},
				Check: func(*terraform.State) error {
					if got, want := srv.DNCURLs(), canonical(append(urls, "in/partner-1", "in/partner-2")); !slices.Equal(got, want) {
						return fmt.Errorf("Kakiyo lists %d entries, want %d", len(got), len(want))
					}
					for _, r := range srv.Requests() {
						if r.Endpoint == "POST /dnc/batch" && strings.Count(r.Body, `"url"`) > 1000 {
							return fmt.Errorf("a batch of %d", strings.Count(r.Body, `"url"`))
						}
					}
					return checkEndpoints(srv, calls{"POST /dnc/batch": 3})
				},
			},
			{
				PreConfig: func() { srv.ResetRequests() },
				Config:    config,
				PlanOnly:  true,
			},
			{
				// 2,503 entries: three pages of 1,000, asked for as such.
				PreConfig: func() {
					var queries []string
					for _, r := range srv.Requests() {
						queries = append(queries, r.Query)
					}
					if want := []string{"limit=1000", "limit=1000&offset=1000", "limit=1000&offset=2000"}; !slices.Equal(queries, want) {
						t.Errorf("listing queries %q, want %q", queries, want)
					}
					srv.ResetRequests()
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				// One removed in the dashboard: the plan lists it again.
				PreConfig: func() {
					srv.RemoveDNCOutOfBand("in/customer-1234")
					t.Log("drift start", time.Now())
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncListAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					t.Log("drift end", time.Now())
					srv.ResetRequests()
					return nil
				},
			},
		},
	})
}

// Changes: adds go in one batch, one or two removals find their ids with
// GET /dnc/check, more with one listing; a change of spelling alone changes
// nothing in Kakiyo; an entry removed outside Terraform is listed again.
func TestAccDNCListResource_changes(t *testing.T) {
	srv := kakiyotest.Start(t)
	base := profileURLs(10)
	step := func(urls []string, want calls, check ...resource.TestCheckFunc) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { srv.ResetRequests() },
			Config:    dncListConfig(srv, urls),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dncListAddr, tfjsonpath.New("urls"), knownvalue.ListSizeExact(len(urls)))},
			Check: resource.ComposeAggregateTestCheckFunc(append(check, func(*terraform.State) error {
				if got := srv.DNCURLs(); !slices.Equal(got, canonical(urls)) {
					return fmt.Errorf("Kakiyo lists %q, want %q", got, canonical(urls))
				}
				return checkEndpoints(srv, want)
			})...),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(base, calls{"POST /dnc/batch": 1}),
			// Two added, two removed: the plan's listing, one batch, two
			// checks, two DELETEs.
			step(append(slices.Clone(base[2:]), "in/new-1", "in/new-2"),
				calls{"GET /dnc": 1, "POST /dnc/batch": 1, "GET /dnc/check": 2, "DELETE /dnc/{id}": 2}),
			// Five removed: the plan's listing, one listing for the ids, five DELETEs.
			step(base[2:7], calls{"GET /dnc": 2, "DELETE /dnc/{id}": 5}),
			{
				// Another spelling, another order, after an update: no
				// change planned, nothing called but the plan's listing,
				// and the state keeps its spellings and order.
				PreConfig: func() { srv.ResetRequests() },
				Config:    dncListConfig(srv, append(slices.Clone(base[3:7]), "in/CUSTOMER-2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dncListAddr, tfjsonpath.New("urls"), exactStrings(base[2:7]))},
				Check: func(*terraform.State) error { return checkEndpoints(srv, calls{"GET /dnc": 1}) },
			},
			{
				// Another profile among the same spellings: planned as
				// configured (an update that lists it).
				PreConfig: func() { srv.ResetRequests() },
				Config:    dncListConfig(srv, append(slices.Clone(base[3:7]), "in/new-3")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncListAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dncListAddr, tfjsonpath.New("urls"),
						exactStrings(append(slices.Clone(base[3:7]), "in/new-3")))},
				Check: func(*terraform.State) error {
					return checkEndpoints(srv, calls{"GET /dnc": 1, "POST /dnc/batch": 1, "GET /dnc/check": 1, "DELETE /dnc/{id}": 1})
				},
			},
			{
				// Back to customer 2, in yet another spelling.
				PreConfig: func() { srv.ResetRequests() },
				Config:    dncListConfig(srv, append(slices.Clone(base[3:7]), "in/CUSTOMER-2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncListAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					return checkEndpoints(srv, calls{"GET /dnc": 1, "POST /dnc/batch": 1, "GET /dnc/check": 1, "DELETE /dnc/{id}": 1})
				},
			},
			{
				// Removed in the dashboard: the refresh says so, the plan
				// lists it again.
				PreConfig:          func() { srv.RemoveDNCOutOfBand("in/customer-4"); srv.ResetRequests() },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(dncListAddr, "unlisted_urls.#", "1"),
					resource.TestCheckResourceAttr(dncListAddr, "unlisted_urls.0", base[4]),
					resource.TestCheckResourceAttr(dncListAddr, "urls.#", "5")),
			},
			{
				PreConfig: func() { srv.ResetRequests() },
				Config:    dncListConfig(srv, append(slices.Clone(base[3:7]), "in/CUSTOMER-2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncListAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(dncListAddr, tfjsonpath.New("unlisted_urls"), knownvalue.ListSizeExact(0))},
				},
				Check: func(*terraform.State) error {
					if got := srv.DNCURLs(); len(got) != 5 {
						return fmt.Errorf("Kakiyo lists %q", got)
					}
					// The plan's listing, one batch for the one profile.
					return checkEndpoints(srv, calls{"GET /dnc": 1, "POST /dnc/batch": 1})
				},
			},
		},
	})
}

// Errors name the URL at fault: at plan time what is not a profile and one
// profile spelled twice; at apply time what Kakiyo refused, by URL, while
// the rest is listed and kept.
func TestAccDNCListResource_errors(t *testing.T) {
	srv := kakiyotest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      dncListConfig(srv, []string{"in/jane", "https://linkedin.com/company/acme"}),
				ExpectError: errorRe("Invalid LinkedIn profile URL", `"https://linkedin.com/company/acme" is not a LinkedIn profile URL`),
			},
			{
				Config:      dncListConfig(srv, []string{"in/jane", "https://www.linkedin.com/in/Jane/"}),
				ExpectError: errorRe("One profile listed twice", "are the same LinkedIn profile", "https://linkedin.com/in/jane"),
			},
			{
				PreConfig: func() {
					srv.InjectFault("POST", "/dnc/batch", kakiyotest.Fault{Status: http.StatusCreated, AfterHandling: true, Times: 1,
						Body: `{"data":{"added":1,"duplicates":0,"errors":1,"details":[` +
							`{"url":"https://linkedin.com/in/jane","status":"added"},` +
							`{"url":"https://linkedin.com/in/joe","status":"error","error":"Profile is blocked"}]}}`})
				},
				Config:      dncListConfig(srv, []string{"in/jane", "in/joe"}),
				ExpectError: errorRe("Kakiyo refused some profiles", "did not list 1 of the profiles", "in/joe: Profile is blocked", "Correct or remove"),
			},
		},
	})
}

// A batch Kakiyo finds too large is split in two until it passes.
func TestAccDNCListResource_batchTooLarge(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetDNCBatchMax(400)
	urls := profileURLs(1200)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: dncListConfig(srv, urls),
			Check: func(*terraform.State) error {
				if got := len(srv.DNCURLs()); got != 1200 {
					return fmt.Errorf("%d listed", got)
				}
				// 1,000 refused, 500 refused, then 250-sized batches: 5 of them.
				return checkEndpoints(srv, calls{"POST /dnc/batch": 7})
			},
		}},
	})
}

// A failed removal keeps in the state what is still listed: nothing is
// lost, and the next apply finishes the job.
func TestAccDNCListResource_failedDestroyKeepsTheRest(t *testing.T) {
	srv := kakiyotest.Start(t)
	urls := profileURLs(5)
	config := dncListConfig(srv, urls)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					// The third DELETE fails for good.
					n := 0
					srv.OnRequest(func(method, path string) {
						if method == "DELETE" {
							n++
							if n == 3 {
								srv.InjectFault("DELETE", path, kakiyotest.Fault{Status: http.StatusForbidden, Times: 1,
									Body: `{"error":"forbidden","message":"Entry belongs to another team"}`})
							}
						}
					})
				},
				Config:      config,
				Destroy:     true,
				ExpectError: errorRe("No access to Kakiyo do-not-contact entry", "2 of the 5 profiles to remove were removed", "the next apply removes them"),
			},
			{
				PreConfig: func() { srv.OnRequest(nil) },
				Config:    config,
				// The three left are still in the state; the two removed are
				// listed again.
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(dncListAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if got := len(srv.DNCURLs()); got != 5 {
						return fmt.Errorf("%d listed", got)
					}
					return nil
				},
			},
		},
	})
}

// kakiyo_dnc_list's configuration: every URL a profile, each profile once
// whatever its spelling; each fault named.
func TestDNCListValidateConfig(t *testing.T) {
	ctx := context.Background()
	r := &dncListResource{}
	cfg := resourceSchemaOf(t, r)
	typ := cfg.Schema.Type().TerraformType(ctx)
	for _, tc := range []struct {
		urls   []string
		errors []string
	}{
		{urls: []string{"in/a", "linkedin.com/in/b", "https://www.linkedin.com/in/c/"}},
		{urls: []string{"in/a", "https://linkedin.com/company/acme"}, errors: []string{`"https://linkedin.com/company/acme" is not a LinkedIn profile URL`}},
		{urls: []string{"in/a", "https://www.linkedin.com/in/A/"}, errors: []string{`"in/a" and "https://www.linkedin.com/in/A/" are the same LinkedIn profile (https://linkedin.com/in/a)`}},
		{urls: []string{"in/a", "in/a"}, errors: []string{`"in/a" is listed twice`, "distinct("}},
	} {
		cfg.Raw = objectOf(typ, map[string]tftypes.Value{"urls": stringList(attrType(t, typ, "urls"), tc.urls...)})
		var resp fwresource.ValidateConfigResponse
		r.ValidateConfig(ctx, fwresource.ValidateConfigRequest{Config: cfg}, &resp)
		var errs []string
		for _, d := range resp.Diagnostics {
			errs = append(errs, d.Detail())
		}
		expectAll(t, strings.Join(tc.urls, ","), errs, tc.errors)
	}
}

// The default time limit of removals follows Kakiyo's 30 a minute.
func TestDNCTimeout(t *testing.T) {
	if got := dncTimeout(0); got != 20*time.Minute {
		t.Errorf("nothing to remove: %s", got)
	}
	if got := dncTimeout(2500); got != 20*time.Minute+2500*2*time.Second {
		t.Errorf("2,500 to remove: %s", got)
	}
}
