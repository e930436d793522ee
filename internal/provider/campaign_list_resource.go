package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

var _ list.ListResourceWithConfigure = (*campaignListResource)(nil)

// NewCampaignListResource returns the kakiyo_campaign list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewCampaignListResource() list.ListResource { return &campaignListResource{} }

type campaignListResource struct {
	reader *walkReader[kakiyo.Campaign]
}

func (l *campaignListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_campaign"
}

func (l *campaignListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the team's campaigns for `terraform query` (Terraform 1.14 and later): one " +
			"`GET /campaigns` per query (one call per page). With `-generate-config-out`, Terraform writes an `import` " +
			"block and a `kakiyo_campaign` block for each.",
	}
}

func (l *campaignListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.reader = dataFrom(req.ProviderData, &resp.Diagnostics).campaigns
}

func (l *campaignListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.reader == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(diag.NewErrorDiagnostic("Kakiyo provider not configured",
			"The kakiyo_campaign list resource needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")))
		return
	}
	listed, err := l.reader.all(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(apiErrorDiagnostic(campaignObject(""), "list", err)))
		return
	}
	campaigns := slices.Clone(listed)
	slices.SortFunc(campaigns, func(a, b *kakiyo.Campaign) int { return strings.Compare(a.ID, b.ID) })
	stream.Results = func(push func(list.ListResult) bool) {
		for i, w := range campaigns {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = campaignDisplayName(w)
			result.Diagnostics.Append(result.Identity.Set(ctx, idIdentityModel{ID: types.StringValue(w.ID)})...)
			if req.IncludeResource && (w.Name == nil || w.Status == nil) {
				// A summary: its analytics show the name and status.
				if full, err := l.reader.read(ctx, w.ID); err == nil {
					w = full
				}
			}
			if req.IncludeResource {
				var m campaignModel
				empty := emptyObject(ctx, result.Resource.Schema.Type())
				result.Diagnostics.Append(modelFrom(ctx, result.Resource.Schema.GetAttributes(), empty, &m)...)
				m.setFromAPI(w)
				if m.Variables.IsNull() {
					m.Variables = types.MapValueMust(types.StringType, map[string]attr.Value{})
				}
				raw, diags := terraformValue(ctx, result.Resource.Schema.Type(), &m)
				result.Diagnostics.Append(diags...)
				if !diags.HasError() {
					result.Resource.Raw = raw
				}
			}
			if !push(result) {
				return
			}
		}
	}
}

func campaignDisplayName(c *kakiyo.Campaign) string {
	name := c.ID
	if c.Name != nil && *c.Name != "" {
		name = *c.Name
	}
	if c.Status != nil {
		name += " (" + *c.Status + ")"
	}
	return name
}
