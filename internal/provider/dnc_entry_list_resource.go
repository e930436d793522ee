package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

var _ list.ListResourceWithConfigure = (*dncEntryListResource)(nil)

// NewDNCEntryListResource returns the kakiyo_dnc_entry list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewDNCEntryListResource() list.ListResource { return &dncEntryListResource{} }

type dncEntryListResource struct {
	reader *walkReader[kakiyo.DNCEntry]
}

func (l *dncEntryListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dnc_entry"
}

func (l *dncEntryListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the team's Do Not Contact entries for `terraform query` (Terraform 1.14 and later): " +
			"`GET /dnc`, 1,000 entries a call. With `-generate-config-out`, Terraform writes an `import` block and a " +
			"`kakiyo_dnc_entry` block for each. (For thousands of entries, one `kakiyo_dnc_list` is cheaper to manage " +
			"than a resource each.)",
	}
}

func (l *dncEntryListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.reader = dataFrom(req.ProviderData, &resp.Diagnostics).dnc
}

func (l *dncEntryListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.reader == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(diag.NewErrorDiagnostic("Kakiyo provider not configured",
			"The kakiyo_dnc_entry list resource needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")))
		return
	}
	listed, err := l.reader.all(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(apiErrorDiagnostic(dncObject(""), "list", err)))
		return
	}
	entries := slices.Clone(listed)
	slices.SortFunc(entries, func(a, b *kakiyo.DNCEntry) int { return strings.Compare(dncKey(a.URL), dncKey(b.URL)) })
	stream.Results = func(push func(list.ListResult) bool) {
		for i, e := range entries {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			profile := dncKey(e.URL)
			result := req.NewListResult(ctx)
			result.DisplayName = profile
			result.Diagnostics.Append(result.Identity.Set(ctx, dncIdentityModel{URL: types.StringValue(profile)})...)
			if req.IncludeResource {
				var m dncEntryModel
				empty := emptyObject(ctx, result.Resource.Schema.Type())
				result.Diagnostics.Append(modelFrom(ctx, result.Resource.Schema.GetAttributes(), empty, &m)...)
				m.setFromAPI(e)
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
