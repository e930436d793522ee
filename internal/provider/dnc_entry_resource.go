package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var (
	_ resource.Resource                = (*dncEntryResource)(nil)
	_ resource.ResourceWithConfigure   = (*dncEntryResource)(nil)
	_ resource.ResourceWithImportState = (*dncEntryResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*dncEntryResource)(nil)
	_ resource.ResourceWithIdentity    = (*dncEntryResource)(nil)
)

// NewDNCEntryResource returns the kakiyo_dnc_entry resource.
func NewDNCEntryResource() resource.Resource { return &dncEntryResource{} }

type dncEntryResource struct {
	client *kakiyo.Client
	reader *walk.Reader[kakiyo.DNCEntry]
}

type dncEntryModel struct {
	ID            types.String `tfsdk:"id"`
	URL           linkedInURL  `tfsdk:"url"`
	NormalizedURL types.String `tfsdk:"normalized_url"`
	CreatedAt     types.String `tfsdk:"created_at"`
}

type dncIdentityModel struct {
	URL types.String `tfsdk:"url"`
}

func dncObject(id string) object { return object{noun: "do-not-contact entry", id: id} }

// newDNCReader serves a run's reads of DNC entries, keyed by the profile
// URL as Kakiyo stores it: by GET /dnc/check?url= one at a time, or from one
// listing (GET /dnc, 1,000 a page) for many.
func newDNCReader(c *kakiyo.Client, mode string) *walk.Reader[kakiyo.DNCEntry] {
	return walk.NewReader(mode, "do-not-contact entries", c.ListDNCPages,
		func(ctx context.Context, profile string) (*kakiyo.DNCEntry, error) {
			e, err := c.CheckDNC(ctx, profile)
			if err == nil && e == nil {
				return nil, &walk.NotListedError{Noun: "do-not-contact entries", ID: profile}
			}
			return e, err
		},
		func(e *kakiyo.DNCEntry) string { return kakiyo.DNCKey(e.URL) }, func(*kakiyo.DNCEntry) bool { return true })
}

func (r *dncEntryResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dnc_entry"
}

func (r *dncEntryResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "One LinkedIn profile on the team's Do Not Contact list: no Kakiyo agent contacts it.\n\n" +
			"Kakiyo normalises profile URLs (`in/jane`, `linkedin.com/in/jane/` and `https://www.linkedin.com/in/Jane` " +
			"are one entry, stored as `https://linkedin.com/in/jane`): spelling the same profile differently plans no " +
			"change (the state keeps the spelling it has), and naming another profile replaces the entry. Reads use `GET /dnc/check` (one call), or one " +
			"listing for many entries. For hundreds or thousands of profiles, `kakiyo_dnc_list` costs far fewer calls.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of the entry (Kakiyo's `$id`).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"url": schema.StringAttribute{
				CustomType: linkedInURLType{},
				Required:   true,
				MarkdownDescription: "LinkedIn profile URL, in any spelling Kakiyo accepts: `https://www.linkedin.com/in/jane-doe/`, " +
					"`linkedin.com/in/jane-doe`, `in/jane-doe`.",
				PlanModifiers: []planmodifier.String{sameProfileKeepsState{}, stringplanmodifier.RequiresReplaceIf(otherProfile,
					"Another profile replaces the entry; another spelling of the same profile changes nothing in Kakiyo.",
					"Another profile replaces the entry; another spelling of the same profile changes nothing in Kakiyo.")},
			},
			"normalized_url": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The URL as Kakiyo stores it: `https://linkedin.com/in/<profile>`, lowercased.",
			},
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the profile was listed (Kakiyo's `$createdAt`).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// otherProfile: a url that names another profile needs a new entry.
func otherProfile(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = kakiyo.DNCKey(req.StateValue.ValueString()) != kakiyo.DNCKey(req.PlanValue.ValueString())
}

func (r *dncEntryResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Version: 0,
		Attributes: map[string]identityschema.Attribute{
			"url": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The profile URL as Kakiyo stores it, such as https://linkedin.com/in/jane-doe.",
			},
		},
	}
}

func (r *dncEntryResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	r.client, r.reader = data.client, data.dnc
}

// ModifyPlan plans normalized_url from url, which it follows.
func (r *dncEntryResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan dncEntryModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() || plan.URL.IsUnknown() {
		return
	}
	if u := plan.URL.canonical(); u != "" {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("normalized_url"), u)...)
	}
}

func (m *dncEntryModel) setFromAPI(e *kakiyo.DNCEntry) {
	m.ID = types.StringValue(e.ID)
	m.NormalizedURL = types.StringValue(kakiyo.DNCKey(e.URL))
	m.CreatedAt = types.StringValue(e.CreatedAt)
	if !known(m.URL) {
		m.URL = newLinkedInURL(kakiyo.DNCKey(e.URL))
	}
}

func (r *dncEntryResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan dncEntryModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	profile := plan.URL.canonical()
	r.reader.Wrote(profile)
	e, err := r.client.AddDNC(ctx, profile)
	if kakiyo.MayHaveCreated(err) {
		// Kakiyo handled the add, but its answer is not the entry (or was
		// cut off): the profile's entry tells, whatever made it (one entry per
		// profile). Asked on a context of its own, so that Ctrl-C does not
		// leave it unknown.
		tflog.Warn(ctx, "The answer to a DNC add is not the entry; checking the profile", map[string]any{"url": profile})
		sctx, cancel := walk.SettleContext(ctx)
		listed, cerr := r.client.CheckDNC(sctx, profile)
		cancel()
		switch {
		case cerr == nil && listed != nil:
			resp.Diagnostics.AddWarning("Kakiyo do-not-contact entry found after a lost answer", fmt.Sprintf(
				"The answer to adding %s was not the entry (%v), but Kakiyo lists the profile as entry %q: it is saved "+
					"in the state.", profile, err, listed.ID))
			e, err = listed, nil
		case cerr == nil:
			e, err = r.client.AddDNC(ctx, profile) // Kakiyo did not list it: add it once more
		default:
			err = fmt.Errorf("%w; checking whether Kakiyo listed the profile failed too: %w", err, cerr)
		}
	}
	if kakiyo.AddedByEarlierAttempt(err) {
		// The first attempt's answer was lost after Kakiyo listed the
		// profile: the entry is this one.
		tflog.Info(ctx, "Kakiyo listed the profile on an attempt whose answer was lost; reading the entry", map[string]any{"url": profile})
		e, err = r.client.CheckDNC(ctx, profile)
		if err == nil && e == nil {
			err = fmt.Errorf("kakiyo answered 409 (already listed) to a retried add, but GET /dnc/check does not list %s", profile)
		}
	} else if kakiyo.IsConflict(err) {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Profile already on the Do Not Contact list", fmt.Sprintf(
			"Kakiyo already lists %s (%s), added outside this configuration.\n\n%s\n\n"+
				"To manage that entry here, adopt it with an import block (Terraform 1.5 and later), then apply:\n\n"+
				"import {\n  to = kakiyo_dnc_entry.<name>\n  id = %q\n}\n\n"+
				"or run: terraform import kakiyo_dnc_entry.<name> %q",
			plan.URL.ValueString(), profile, describe(err), plan.URL.ValueString(), plan.URL.ValueString()))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(dncObject(""), "add "+profile+" as", err))
		return
	}
	tflog.Info(ctx, "Listed profile on the Kakiyo Do Not Contact list", map[string]any{"dnc_id": e.ID, "url": profile})
	plan.setFromAPI(e)
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, kakiyo.DNCKey(e.URL))...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *dncEntryResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state dncEntryModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.URL.IsNull() {
		// Imported by id: the listing names its profile.
		r.adoptByID(ctx, &state, resp)
		return
	}
	profile := state.URL.canonical()
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, profile)...)
	e, err := r.reader.Read(ctx, profile)
	gone, err := settleGone(ctx, r.client, err)
	if gone {
		tflog.Warn(ctx, "Profile no longer on the Kakiyo Do Not Contact list; removing it from state so that the next plan adds it again",
			map[string]any{"url": profile})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(dncObject(state.ID.ValueString()), "read", err))
		return
	}
	state.setFromAPI(e)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &state)...)
}

func (r *dncEntryResource) adoptByID(ctx context.Context, state *dncEntryModel, resp *resource.ReadResponse) {
	id := state.ID.ValueString()
	all, err := r.reader.All(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(dncObject(id), "find (listing the Do Not Contact list)", err))
		return
	}
	for _, e := range all {
		if e.ID == id {
			state.setFromAPI(e)
			resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, kakiyo.DNCKey(e.URL))...)
			resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
			return
		}
	}
	resp.Diagnostics.AddError("Kakiyo do-not-contact entry not found", fmt.Sprintf(
		"Kakiyo's Do Not Contact list has no entry with id %q (%d entries listed). Check the id, or import the entry by "+
			"its profile URL instead, such as \"https://linkedin.com/in/jane-doe\".", id, len(all)))
}

// Update only ever changes the spelling of url (another profile replaces
// the entry): nothing to tell Kakiyo.
func (r *dncEntryResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state dncEntryModel
	resp.Diagnostics.Append(getPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID, plan.CreatedAt, plan.NormalizedURL = state.ID, state.CreatedAt, state.NormalizedURL
	resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, plan.URL.canonical())...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, &plan)...)
}

func (r *dncEntryResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state dncEntryModel
	resp.Diagnostics.Append(getState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	r.reader.Wrote(state.URL.canonical())
	gone, err := settleGone(ctx, r.client, r.client.DeleteDNC(ctx, id))
	switch {
	case gone:
		tflog.Info(ctx, "Kakiyo do-not-contact entry already gone; treating it as removed", map[string]any{"dnc_id": id})
	case err == nil:
		tflog.Info(ctx, "Removed profile from the Kakiyo Do Not Contact list", map[string]any{"dnc_id": id})
	default:
		resp.Diagnostics.Append(apiErrorDiagnostic(dncObject(id), "remove", err))
	}
}

// ImportState takes a profile URL (any spelling) or an entry id, from
// `terraform import`, an import block's id, or its identity (the URL).
func (r *dncEntryResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	raw := strings.TrimSpace(req.ID)
	if raw == "" && identityGiven(req) {
		var identity dncIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		raw = strings.TrimSpace(identity.URL.ValueString())
	}
	if strings.Contains(strings.ToLower(raw), "in/") {
		profile, err := kakiyo.LinkedInProfileURL(raw)
		if err != nil {
			resp.Diagnostics.AddError("Invalid LinkedIn profile URL", fmt.Sprintf(
				"Import needs a LinkedIn profile URL (such as \"https://linkedin.com/in/jane-doe\") or the id of a Kakiyo "+
					"do-not-contact entry: %v.", err))
			return
		}
		// The spelling given is kept: an import block that spells the URL as
		// the configuration does plans no change.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("url"), newLinkedInURL(raw))...)
		resp.Diagnostics.Append(r.setIdentity(ctx, resp.Identity, profile)...)
		return
	}
	if raw == "" || strings.ContainsAny(raw, "/ \t\n") {
		resp.Diagnostics.AddError("Invalid Kakiyo do-not-contact entry", fmt.Sprintf(
			"Import needs a LinkedIn profile URL, such as \"https://linkedin.com/in/jane-doe\", or the id of a Kakiyo "+
				"do-not-contact entry; got %q.", raw))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), raw)...)
}

// setIdentity records the entry's identity (its profile URL as Kakiyo
// stores it), when the CLI has identities.
func (r *dncEntryResource) setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, profile string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, dncIdentityModel{URL: types.StringValue(profile)})
}
