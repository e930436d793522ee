package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// kakiyo_campaign_analytics: GET /analytics/campaigns/{id}, one call, as
// Kakiyo documents it.

var activityCountAttrs = map[string]computed{
	"messages":  cInt64("Messages sent."),
	"responses": cInt64("Responses received."),
	"qualified": cInt64("Prospects qualified."),
}

var campaignAnalyticsAttrs = map[string]computed{
	"name":         cString("Name of the campaign."),
	"status":       cString("Status of the campaign, such as `active`, `paused` or `completed`."),
	"agent_id":     cString("Id of the campaign's agent."),
	"product_name": cString("Name of the campaign's product (Kakiyo's analytics name it, not its id)."),
	"created_at":   cString("When the campaign was created (RFC 3339)."),
	"metrics": cObject("The campaign's totals and rates. Rates are percentages, such as `23.33`.", map[string]computed{
		"total_prospects":               cInt64("Prospects in the campaign."),
		"total_messages":                cInt64("Messages sent."),
		"total_qualified":               cInt64("Prospects qualified."),
		"total_answers":                 cInt64("Prospects who answered."),
		"total_closed":                  cInt64("Prospects closed."),
		"conversion_rate":               cFloat64("Closed prospects, as a percentage of the prospects."),
		"response_rate":                 cFloat64("Prospects who answered, as a percentage of the prospects."),
		"qualification_rate":            cFloat64("Qualified prospects, as a percentage of the prospects."),
		"average_messages_per_prospect": cFloat64("Messages sent per prospect."),
	}),
	"activity": cObject("The campaign's activity.", map[string]computed{
		"daily_breakdown": cObjectList("Activity by day, as Kakiyo lists it.", map[string]computed{
			"date":      cString("The day, `YYYY-MM-DD`."),
			"messages":  activityCountAttrs["messages"],
			"responses": activityCountAttrs["responses"],
			"qualified": activityCountAttrs["qualified"],
		}),
		"last_7_days": cObject("Activity over the last seven days.", activityCountAttrs),
	}),
	"status_distribution": cObject("Prospects by status.", map[string]computed{
		"pending":   cInt64("Not contacted yet."),
		"contacted": cInt64("Contacted, no answer yet."),
		"responded": cInt64("Answered."),
		"qualified": cInt64("Qualified."),
		"closed":    cInt64("Closed."),
	}),
	"qualification_breakdown": cObject("Prospects by qualification.", map[string]computed{
		"pending":      cInt64("Not qualified yet."),
		"qualified":    cInt64("Qualified."),
		"disqualified": cInt64("Disqualified."),
	}),
}

var _ datasource.DataSourceWithConfigure = (*campaignAnalyticsDataSource)(nil)

// NewCampaignAnalyticsDataSource returns kakiyo_campaign_analytics.
func NewCampaignAnalyticsDataSource() datasource.DataSource { return &campaignAnalyticsDataSource{} }

type campaignAnalyticsDataSource struct {
	client *kakiyo.Client
}

func (d *campaignAnalyticsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_campaign_analytics"
}

func (d *campaignAnalyticsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Required: true, MarkdownDescription: "Id of the campaign, such as `" + exampleCampaignID + "`.",
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
	}
	for name, a := range campaignAnalyticsAttrs {
		attrs[name] = a.dataSource()
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A campaign's analytics as Kakiyo reports them (`GET /analytics/campaigns/{id}`, one call " +
			"per read): totals, response, qualification and conversion rates, activity by day and over the last seven " +
			"days, prospects by status and by qualification. A value Kakiyo leaves out is null. Fails if the campaign " +
			"does not exist or belongs to another team.",
		Attributes: attrs,
	}
}

func (d *campaignAnalyticsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = dataFrom(req.ProviderData, &resp.Diagnostics).client
}

func (d *campaignAnalyticsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, err := d.client.GetCampaignAnalytics(ctx, id.ValueString())
	if kakiyo.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Kakiyo campaign not found", fmt.Sprintf(
			"Kakiyo has no campaign %q in the API key's team. Check the id (the kakiyo_campaign resource's id, or the "+
				"Kakiyo dashboard), or that the API key belongs to the team that owns the campaign.", id.ValueString()))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(campaignObject(id.ValueString()), "read the analytics of", err))
		return
	}
	for name, v := range campaignAnalyticsValues(a) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

func countValue(n *kakiyo.Count) types.Int64 {
	if n == nil {
		return types.Int64Null()
	}
	return types.Int64Value(int64(*n))
}

func activityValues(c kakiyo.ActivityCounts) map[string]attr.Value {
	return map[string]attr.Value{"messages": countValue(c.Messages), "responses": countValue(c.Responses),
		"qualified": countValue(c.Qualified)}
}

// campaignAnalyticsValues are the data source's computed values.
func campaignAnalyticsValues(a *kakiyo.CampaignAnalytics) map[string]attr.Value {
	obj := func(name string, values map[string]attr.Value) types.Object {
		return types.ObjectValueMust(campaignAnalyticsAttrs[name].attrTypes(), values)
	}
	activity := campaignAnalyticsAttrs["activity"]
	dayType := types.ObjectType{AttrTypes: activity.attrs["daily_breakdown"].attrTypes()}
	days := make([]attr.Value, 0, len(a.Activity.DailyBreakdown))
	for _, d := range a.Activity.DailyBreakdown {
		v := activityValues(d.ActivityCounts)
		v["date"] = types.StringValue(d.Date)
		days = append(days, types.ObjectValueMust(dayType.AttrTypes, v))
	}
	m, s, q := a.Metrics, a.StatusDistribution, a.QualificationBreakdown
	return map[string]attr.Value{
		"name": types.StringPointerValue(a.Campaign.Name), "status": types.StringPointerValue(a.Campaign.Status),
		"agent_id": types.StringPointerValue(a.Campaign.AgentID), "product_name": types.StringPointerValue(a.Campaign.ProductName),
		"created_at": types.StringPointerValue(a.Campaign.CreatedAt),
		"metrics": obj("metrics", map[string]attr.Value{
			"total_prospects": countValue(m.TotalProspects), "total_messages": countValue(m.TotalMessages),
			"total_qualified": countValue(m.TotalQualified), "total_answers": countValue(m.TotalAnswers),
			"total_closed": countValue(m.TotalClosed), "conversion_rate": types.Float64PointerValue(m.ConversionRate),
			"response_rate": types.Float64PointerValue(m.ResponseRate), "qualification_rate": types.Float64PointerValue(m.QualificationRate),
			"average_messages_per_prospect": types.Float64PointerValue(m.AverageMessagesPerProspect),
		}),
		"activity": obj("activity", map[string]attr.Value{
			"daily_breakdown": types.ListValueMust(dayType, days),
			"last_7_days":     types.ObjectValueMust(activity.attrs["last_7_days"].attrTypes(), activityValues(a.Activity.Last7Days)),
		}),
		"status_distribution": obj("status_distribution", map[string]attr.Value{
			"pending": countValue(s.Pending), "contacted": countValue(s.Contacted), "responded": countValue(s.Responded),
			"qualified": countValue(s.Qualified), "closed": countValue(s.Closed),
		}),
		"qualification_breakdown": obj("qualification_breakdown", map[string]attr.Value{
			"pending": countValue(q.Pending), "qualified": countValue(q.Qualified), "disqualified": countValue(q.Disqualified),
		}),
	}
}
