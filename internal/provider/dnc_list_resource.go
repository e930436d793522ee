package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var (
	_ resource.Resource                   = (*dncListResource)(nil)
	_ resource.ResourceWithConfigure      = (*dncListResource)(nil)
	_ resource.ResourceWithValidateConfig = (*dncListResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*dncListResource)(nil)
)

// NewDNCListResource returns the kakiyo_dnc_list resource.
func NewDNCListResource() resource.Resource { return &dncListResource{} }

type dncListResource struct {
	client *kakiyo.Client
	reader *walk.Reader[kakiyo.DNCEntry]
}

type dncListModel struct {
	ID       types.String   `tfsdk:"id"`
	URLs     types.List     `tfsdk:"urls"`
	Unlisted types.List     `tfsdk:"unlisted_urls"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// Kakiyo's documented limits for removing entries (30 a minute, one call
// each) make large removals slow: the default time limits of updates and
// destroys grow with what they remove.
const (
	dncDeletesPerMinute   = 30
	defaultDNCListTimeout = 20 * time.Minute
)

// dncTimeout is the default time limit of removing n entries: their pace
// under Kakiyo's limit, plus the default.
func dncTimeout(n int) time.Duration {
	return defaultDNCListTimeout + time.Duration(n)*time.Minute/dncDeletesPerMinute
}

func (r *dncListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dnc_list"
}

func (r *dncListResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "A set of LinkedIn profiles on the team's Do Not Contact list, managed as one resource: for " +
			"teams with hundreds or thousands of entries (customers, partners, staff).\n\n" +
			"- **Adds** go through `POST /dnc/batch`, 1,000 profiles a call (Kakiyo allows 10 calls a minute).\n" +
			"- **Refresh** pages through `GET /dnc` 1,000 entries a page, the largest page Kakiyo allows; " +
			"`kakiyo_dnc_entry` resources of the same run share that listing.\n" +
			"- **Removals** cost one `DELETE /dnc/{id}` each, and Kakiyo allows 30 a minute: removing 2,500 profiles " +
			"takes about 84 minutes. The default time limits of updates and destroys grow with what they remove.\n\n" +
			"It manages only its own profiles: entries listed by others are left alone. A profile that was already " +
			"listed is adopted (a warning names it), not added twice, and is removed with the resource. Two spellings " +
			"of one profile are one entry: the configuration may not list both, and changing only the spellings " +
			"or the order plans no change (the state keeps its spellings).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of this set in the Terraform state (Kakiyo has no object for it).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"urls": schema.ListAttribute{
				ElementType:   types.StringType,
				Required:      true,
				PlanModifiers: []planmodifier.List{sameProfilesKeepState{}},
				MarkdownDescription: "LinkedIn profile URLs, in any spelling Kakiyo accepts (`https://www.linkedin.com/in/jane-doe/`, " +
					"`linkedin.com/in/jane-doe`, `in/jane-doe`), each profile once. Their order does not matter to Kakiyo: " +
					"another order or other spellings of the same profiles plan no change. (A list, not a set: Terraform checks each " +
					"element of a set against every other one after an apply, which takes half a minute for 2,500 URLs and " +
					"minutes for 10,000; a list is checked element by element. `tolist(toset(...))` and `sort(...)` give a " +
					"stable order.)",
			},
			"unlisted_urls": schema.ListAttribute{
				ElementType: types.StringType,
				Computed:    true,
				MarkdownDescription: "The profiles of `urls` that Kakiyo does not list: removed outside Terraform (in the " +
					"dashboard, by another tool), or refused by Kakiyo when they were added. A refresh finds them; the plan " +
					"then shows this set emptied, and the apply lists them again. Empty when Kakiyo lists every profile. " +
					"(Drift shows here rather than as a change of `urls`, so that a plan of thousands of profiles stays fast.)",
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "Default 20m.", ReadDescription: "Default 20m.",
				UpdateDescription: "Default 20m plus 2s for each profile removed (Kakiyo allows 30 removals a minute).",
				DeleteDescription: "Default 20m plus 2s for each profile (Kakiyo allows 30 removals a minute)."}),
		},
	}
}

func (r *dncListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.reader = data.client, data.dnc
}

// ValidateConfig names every URL that is not a profile URL, and every
// profile listed twice under two spellings.
func (r *dncListResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg dncListModel
	resp.Diagnostics.Append(getConfig(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() || !known(cfg.URLs) {
		return
	}
	seen := map[string]string{}
	for i, v := range cfg.URLs.Elements() {
		s, ok := v.(types.String)
		if !ok || !known(s) {
			continue
		}
		raw := s.ValueString()
		at := path.Root("urls").AtListIndex(i)
		profile, err := kakiyo.LinkedInProfileURL(raw)
		if err != nil {
			resp.Diagnostics.AddAttributeError(at, "Invalid LinkedIn profile URL", fmt.Sprintf(
				"%s.\n\nKakiyo lists LinkedIn profiles only. Correct or remove this URL.", err))
			continue
		}
		if other, dup := seen[profile]; dup {
			what := fmt.Sprintf("%q and %q are the same LinkedIn profile (%s): Kakiyo keeps one entry for both.", other, raw, profile)
			if other == raw {
				what = fmt.Sprintf("%q is listed twice.", raw)
			}
			resp.Diagnostics.AddAttributeError(at, "One profile listed twice", what+" Keep one of them "+
				"(distinct(...) removes exact repeats).")
			continue
		}
		seen[profile] = raw
	}
}

// profiles maps each profile of a list (as Kakiyo stores it) to its
// spelling in the list.
func profiles(list types.List) map[string]string {
	out := make(map[string]string, len(list.Elements()))
	for _, v := range list.Elements() {
		if s, ok := v.(types.String); ok && known(s) {
			out[kakiyo.DNCKey(s.ValueString())] = s.ValueString()
		}
	}
	return out
}

// urlList is the list of the spellings in m, sorted.
func urlList(m map[string]string) types.List {
	spellings := make([]string, 0, len(m))
	for _, s := range m {
		spellings = append(spellings, s)
	}
	sort.Strings(spellings)
	vals := make([]attr.Value, len(spellings))
	for i, s := range spellings {
		vals[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, vals)
}

// withUnlisted is list followed by the spellings of extra that it lacks.
func withUnlisted(list types.List, extra map[string]string) types.List {
	have := profiles(list)
	vals := slices.Clone(list.Elements())
	vals = append(vals, urlList(missing(extra, have)).Elements()...)
	return types.ListValueMust(types.StringType, vals)
}

func (r *dncListResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dncListModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	limit, diags := plan.Timeouts.Create(ctx, defaultDNCListTimeout)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	want := profiles(plan.URLs)
	kept, attempted := r.add(ctx, want, &resp.Diagnostics)
	if !attempted {
		return // nothing reached Kakiyo
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	plan.ID = types.StringValue("dnc-list-" + hex.EncodeToString(b[:]))
	// Whatever failed, the state says what Kakiyo listed and what it did not
	// (with errors, the resource is tainted; its replacement adopts the same
	// entries).
	plan.Unlisted = urlList(missing(want, kept))
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

// missing returns the profiles of want that are not in have.
func missing(want, have map[string]string) map[string]string {
	out := map[string]string{}
	for p, s := range want {
		if _, ok := have[p]; !ok {
			out[p] = s
		}
	}
	return out
}

// ModifyPlan plans unlisted_urls empty: the apply lists every profile of
// urls, those a refresh found unlisted included.
func (r *dncListResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("unlisted_urls"), types.ListValueMust(types.StringType, nil))...)
}

// add lists the profiles of want (as Kakiyo stores them, to their
// spellings) with POST /dnc/batch, and returns those now listed: added, or
// listed before and so adopted. Duplicates are a warning naming them;
// profiles Kakiyo refused, and a failed call, are errors naming them.
// attempted is false when no call may have reached Kakiyo.
func (r *dncListResource) add(ctx context.Context, want map[string]string, diags *diag.Diagnostics) (kept map[string]string, attempted bool) {
	kept = map[string]string{}
	if len(want) == 0 {
		return kept, true
	}
	order := make([]string, 0, len(want))
	for p := range want {
		order = append(order, p)
	}
	sort.Strings(order)
	r.reader.Wrote("")
	res, err := r.client.AddDNCBatch(ctx, order)
	var dups, refused []string
	for _, d := range res.Details {
		switch d.Status {
		case kakiyo.DNCAdded:
			kept[d.URL] = want[d.URL]
		case kakiyo.DNCDuplicate:
			kept[d.URL] = want[d.URL]
			dups = append(dups, want[d.URL])
		default:
			reason := d.Error
			if reason == "" {
				reason = "status " + orEmpty(d.Status)
			}
			refused = append(refused, fmt.Sprintf("%s: %s", want[d.URL], reason))
		}
	}
	tflog.Info(ctx, "Added profiles to the Kakiyo Do Not Contact list", map[string]any{
		"calls": res.Calls, "listed": len(kept), "already_listed": len(dups), "refused": len(refused)})
	if len(dups) > 0 {
		diags.AddWarning("Profiles already on the Do Not Contact list adopted", fmt.Sprintf(
			"Kakiyo already listed %d of the profiles to add, outside this resource. They were not added twice: this "+
				"resource now manages them, and removing them from urls (or destroying the resource) removes them from "+
				"Kakiyo's list.\n\n%s", len(dups), bullets(dups)))
	}
	if len(refused) > 0 {
		diags.AddError("Kakiyo refused some profiles", fmt.Sprintf(
			"Kakiyo did not list %d of the profiles (the others were listed):\n\n%s\n\n"+
				"Correct or remove these URLs, then apply again.", len(refused), bullets(refused)))
	}
	if err != nil {
		done := len(res.Details)
		diags.Append(withNote(apiErrorDiagnostic(dncObject(""), "add profiles (POST /dnc/batch) as", err), fmt.Sprintf(
			"%d of the %d profiles were settled before this call failed: those Kakiyo listed are in the state.", done, len(want))))
		return kept, done > 0 || kakiyo.MayHaveCreated(err) || !clientRefused(err)
	}
	return kept, true
}

// clientRefused reports whether err is a 4xx answer other than 429: Kakiyo
// did nothing.
func clientRefused(err error) bool {
	var apiErr *kakiyo.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429
}

// bullets lists items one per line, the first 20 of them.
func bullets(items []string) string {
	sort.Strings(items)
	const shown = 20
	var b strings.Builder
	for i, it := range items {
		if i == shown {
			fmt.Fprintf(&b, "  ... and %d more\n", len(items)-shown)
			break
		}
		fmt.Fprintf(&b, "  - %s\n", it)
	}
	return strings.TrimRight(b.String(), "\n")
}

func (r *dncListResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dncListModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	limit, diags := state.Timeouts.Read(ctx, defaultDNCListTimeout)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	listed, err := r.reader.All(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(dncObject(""), "list the entries of the Do Not Contact list (GET /dnc)", err))
		return
	}
	onList := make(map[string]bool, len(listed))
	for _, e := range listed {
		onList[kakiyo.DNCKey(e.URL)] = true
	}
	unlisted := map[string]string{}
	for p, spelling := range profiles(state.URLs) {
		if !onList[p] {
			unlisted[p] = spelling
		}
	}
	if len(unlisted) > 0 {
		tflog.Warn(ctx, "Profiles not on the Kakiyo Do Not Contact list (removed outside Terraform); the next apply lists them again",
			map[string]any{"count": len(unlisted)})
	}
	state.Unlisted = urlList(unlisted)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *dncListResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dncListModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want, have, unlisted := profiles(plan.URLs), profiles(state.URLs), profiles(state.Unlisted)
	// Added: what is new, and what a refresh found unlisted. Removed: what
	// left urls and is still listed.
	adds, removes := missing(want, have), missing(missing(have, want), unlisted)
	for p := range unlisted {
		if spelling, ok := want[p]; ok {
			adds[p] = spelling
		}
	}
	limit, diags := plan.Timeouts.Update(ctx, dncTimeout(len(removes)))
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	// What ends in the state: the plan's urls, plus what could not be
	// removed; unlisted, what could not be added.
	added, _ := r.add(ctx, adds, &resp.Diagnostics)
	left := r.remove(ctx, removes, len(have), &resp.Diagnostics)
	if len(left) > 0 {
		plan.URLs = withUnlisted(plan.URLs, left)
	}
	plan.Unlisted = urlList(missing(adds, added))
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *dncListResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dncListModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	mine := missing(profiles(state.URLs), profiles(state.Unlisted))
	limit, diags := state.Timeouts.Delete(ctx, dncTimeout(len(mine)))
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if left := r.remove(ctx, mine, len(mine), &resp.Diagnostics); len(left) > 0 {
		// Nothing is lost: what is still listed stays in the state.
		state.URLs, state.Unlisted = urlList(left), types.ListValueMust(types.StringType, nil)
		resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
	}
}

// remove takes the profiles of m off the list, one DELETE /dnc/{id} each,
// paced by Kakiyo's 30 a minute, and returns those still listed after a
// failure. Ids come from GET /dnc/check, one call each, or from one listing
// of at least managed/1,000 pages (managed: how many profiles the resource
// holds), whichever costs fewer calls. A profile no longer listed counts
// as removed.
func (r *dncListResource) remove(ctx context.Context, m map[string]string, managed int, diags *diag.Diagnostics) map[string]string {
	left := map[string]string{}
	if len(m) == 0 {
		return left
	}
	order := make([]string, 0, len(m))
	for p := range m {
		order = append(order, p)
	}
	sort.Strings(order)
	ids := map[string]string{}
	if minPages := (managed + kakiyo.DNCPageSize - 1) / kakiyo.DNCPageSize; len(order) <= max(walk.ReadsByIDFirst, minPages) {
		for _, p := range order {
			e, err := r.client.CheckDNC(ctx, p)
			if err != nil {
				diags.Append(apiErrorDiagnostic(dncObject(""), "look up "+m[p]+" on", err))
				return m
			}
			if e != nil {
				ids[p] = e.ID
			}
		}
	} else {
		listed, err := r.reader.Fresh(ctx)
		if err != nil {
			diags.Append(apiErrorDiagnostic(dncObject(""), "list the entries of the Do Not Contact list (GET /dnc) for removing them from", err))
			return m
		}
		for _, e := range listed {
			ids[kakiyo.DNCKey(e.URL)] = e.ID
		}
	}
	r.reader.Wrote("")
	removed := 0
	for i, p := range order {
		id, listed := ids[p]
		if !listed {
			continue // already gone
		}
		gone, err := settleGone(ctx, r.client, r.client.DeleteDNC(ctx, id))
		if err != nil && !gone {
			for _, q := range order[i:] {
				left[q] = m[q]
			}
			diags.Append(withNote(apiErrorDiagnostic(dncObject(id), "remove "+m[p]+", listed as", err), fmt.Sprintf(
				"%d of the %d profiles to remove were removed before this one; it and the %d after it stay in the state, "+
					"and the next apply removes them.", removed, len(order), len(order)-i-1)))
			return left
		}
		removed++
	}
	tflog.Info(ctx, "Removed profiles from the Kakiyo Do Not Contact list", map[string]any{"removed": removed, "asked": len(order)})
	return left
}
