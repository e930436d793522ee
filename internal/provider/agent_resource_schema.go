package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

var (
	daysPattern = regexp.MustCompile(`^[01](:[01]){6}$`)
	hhmmPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	// Loose on purpose: Kakiyo decides what a valid login is.
	emailPattern   = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

const noDriftNote = " Kakiyo's API does not return this value, so the provider keeps the configured value in state " +
	"and cannot detect a change made outside Terraform. Removing it from the configuration leaves the agent's " +
	"current value in Kakiyo unchanged."

func (r *agentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Kakiyo sets these once (id) or on LinkedIn setup (the profile): a plan
	// keeps the known value instead of showing it as "known after apply".
	stable := func(name string) schema.StringAttribute {
		return schema.StringAttribute{
			Computed: true, MarkdownDescription: agentAttrs[name].desc,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	limit := func(desc string, lo, hi int64) schema.Int64Attribute {
		return schema.Int64Attribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("%s Between %d and %d.", desc, lo, hi),
			Validators:          []validator.Int64{int64validator.Between(lo, hi)},
		}
	}
	wh := agentAttrs["working_hours"].attrs
	whString := func(name, example string, re *regexp.Regexp, msg string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: wh[name].desc + " When left out, Kakiyo's value is kept.",
			Validators:          []validator.String{stringvalidator.RegexMatches(re, msg+", for example "+example)},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	resp.Schema = schema.Schema{
		// How the state stores it: see schemaVersions in golden_state_test.go before changing it.
		Version: 0,
		MarkdownDescription: "A Kakiyo agent: a paid slot that runs LinkedIn outreach with its own browser profile, " +
			"proxy, credentials and history.\n\n" +
			"**Deleting an agent.** Kakiyo deletes an agent only when its status is `ended`, and no public API call " +
			"ends an agent. Destroying an agent in any other status fails with a `Kakiyo agent not ended` error " +
			"that names the agent and its status; the agent stays in Kakiyo and in the Terraform state. An agent " +
			"that is already gone from Kakiyo counts as deleted.",
		Attributes: map[string]schema.Attribute{
			"id":        stable("id"),
			"name":      stable("name"),
			"status":    agentAttrs["status"].resource(),
			"login":     stable("login"),
			"country":   stable("country"),
			"avatar":    stable("avatar"),
			"next_task": agentAttrs["next_task"].resource(),
			"paused": schema.BoolAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Whether the agent is paused. Set `true` to pause it, `false` to resume it. " +
					"When left out, the provider does not pause or resume the agent and shows whether it is paused.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"skip_in_network": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Do not message people who are already in the LinkedIn network (Kakiyo setting " +
					"`skipInNetwork`)." + noDriftNote,
			},
			"invitations_only": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Send invitations only, with no follow-up messages (Kakiyo setting " +
					"`invitationsOnly`)." + noDriftNote,
			},
			"deletion_protection": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, Terraform refuses to delete the agent, at plan time and at apply " +
					"time, without calling Kakiyo. Set it to `false` and apply before destroying the agent. " +
					"Defaults to `false`. Kept in Terraform only; Kakiyo knows nothing of it.",
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
			"linkedin": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "The LinkedIn account the agent works with, connected through Kakiyo's agent setup " +
					"call (`POST /agents/{id}/setup`, known from Kakiyo's n8n node). The account is connected on " +
					"create, and again whenever `login`, `country` or `password_wo_version` changes. LinkedIn may then " +
					"ask for two-factor authentication: see `alerts`. Needs Terraform 1.11 or later (write-only " +
					"attributes); the rest of the resource works on older versions.",
				Attributes: map[string]schema.Attribute{
					"login": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: "LinkedIn login (e-mail). A change made in Kakiyo shows as drift.",
						Validators: []validator.String{stringvalidator.RegexMatches(emailPattern,
							"must be the e-mail address of the LinkedIn account")},
					},
					"country": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Two-letter country code for the agent's proxy, e.g. `US` (Kakiyo's default when left out).",
						Validators: []validator.String{stringvalidator.RegexMatches(countryPattern,
							`must be a two-letter country code in capitals, for example "US"`)},
					},
					"password_wo": schema.StringAttribute{
						Required: true, WriteOnly: true, Sensitive: true,
						MarkdownDescription: "LinkedIn password. Write-only: sent to Kakiyo when the account is connected, " +
							"never stored in the plan or the state. Change `password_wo_version` to send it again.",
					},
					"password_wo_version": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: "Any number; change it to send `password_wo` again (e.g. after rotating " +
							"the password). Terraform cannot see a change to a write-only value by itself.",
					},
				},
			},
			"working_hours": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: agentAttrs["working_hours"].desc + " Kakiyo returns working hours, so a change made outside " +
					"Terraform to a value set here shows as drift in the next plan. Only the values set here are sent; " +
					"when the whole attribute is left out, the provider does not change the working hours and shows " +
					"Kakiyo's current values.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"days": whString("days", `"1:1:1:1:1:0:0"`, daysPattern,
						"must be seven 0/1 flags separated by colons, Monday first"),
					"start": whString("start", `"09:00"`, hhmmPattern, "must be a time of day as HH:MM on a 24-hour clock"),
					"stop":  whString("stop", `"17:00"`, hhmmPattern, "must be a time of day as HH:MM on a 24-hour clock"),
					"timezone": schema.Float64Attribute{
						Computed: true, MarkdownDescription: wh["timezone"].desc,
						PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown()},
					},
				},
			},
			"limits": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Daily activity limits; Kakiyo picks a daily number between each minimum and " +
					"maximum. Each minimum must not exceed its maximum." + noDriftNote,
				Attributes: map[string]schema.Attribute{
					"invitations_min": limit("Minimum invitations a day.", 1, 100),
					"invitations_max": limit("Maximum invitations a day.", 2, 100),
					"messages_min":    limit("Minimum messages a day.", 1, 500),
					"messages_max":    limit("Maximum messages a day.", 2, 500),
				},
			},
			"usage":  agentAttrs["usage"].resource(),
			"alerts": agentAttrs["alerts"].resource(),
		},
	}
}

// ValidateConfig checks what one attribute's validator cannot: that
// working_hours and limits set something, and that each daily minimum does not exceed its maximum.
func (r *agentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var wh types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("working_hours"), &wh)...)
	if known(wh) {
		var w workingHoursModel
		resp.Diagnostics.Append(wh.As(ctx, &w, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
		if w.Days.IsNull() && w.Start.IsNull() && w.Stop.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("working_hours"), "Empty working_hours",
				"working_hours sets nothing. Set at least one of days, start or stop, or remove the working_hours attribute.")
		}
	}

	var limits types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("limits"), &limits)...)
	if resp.Diagnostics.HasError() || !known(limits) {
		return
	}
	var l limitsModel
	resp.Diagnostics.Append(limits.As(ctx, &l, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	if resp.Diagnostics.HasError() {
		return
	}
	if l == (limitsModel{InvitationsMin: types.Int64Null(), InvitationsMax: types.Int64Null(),
		MessagesMin: types.Int64Null(), MessagesMax: types.Int64Null()}) {
		resp.Diagnostics.AddAttributeError(path.Root("limits"), "Empty limits",
			"limits sets no limit. Set at least one of invitations_min, invitations_max, messages_min or "+
				"messages_max, or remove the limits attribute.")
		return
	}
	check := func(lo, hi types.Int64, loName, hiName string) {
		if !known(lo) || !known(hi) || lo.ValueInt64() <= hi.ValueInt64() {
			return
		}
		resp.Diagnostics.AddAttributeError(path.Root("limits").AtName(loName), "Daily minimum above maximum",
			fmt.Sprintf("limits.%s (%d) must not be greater than limits.%s (%d).",
				loName, lo.ValueInt64(), hiName, hi.ValueInt64()))
	}
	check(l.InvitationsMin, l.InvitationsMax, "invitations_min", "invitations_max")
	check(l.MessagesMin, l.MessagesMax, "messages_min", "messages_max")
}
