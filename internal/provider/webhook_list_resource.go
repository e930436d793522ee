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

var _ list.ListResourceWithConfigure = (*webhookListResource)(nil)

// NewWebhookListResource returns the kakiyo_webhook list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewWebhookListResource() list.ListResource { return &webhookListResource{} }

type webhookListResource struct {
	reader *walkReader[kakiyo.Webhook]
}

func (l *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (l *webhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the webhooks of the API key's team for `terraform query` (Terraform 1.14 and later): " +
			"one `GET /webhooks` per query. With `-generate-config-out`, Terraform writes an `import` block and a " +
			"`kakiyo_webhook` block for each (without the secret, which Kakiyo never shows: add `secret_wo` and " +
			"`secret_wo_version` to send one).",
	}
}

func (l *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.reader = dataFrom(req.ProviderData, &resp.Diagnostics).webhooks
}

func (l *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.reader == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(diag.NewErrorDiagnostic("Kakiyo provider not configured",
			"The kakiyo_webhook list resource needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")))
		return
	}
	listed, err := l.reader.all(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(apiErrorDiagnostic(webhookObject(""), "list", err)))
		return
	}
	webhooks := slices.Clone(listed)
	slices.SortFunc(webhooks, func(a, b *kakiyo.Webhook) int { return strings.Compare(a.ID, b.ID) })
	stream.Results = func(push func(list.ListResult) bool) {
		for i, w := range webhooks {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = w.Name + " (" + w.URL + ")"
			result.Diagnostics.Append(result.Identity.Set(ctx, idIdentityModel{ID: types.StringValue(w.ID)})...)
			if req.IncludeResource {
				var m webhookModel
				empty := emptyObject(ctx, result.Resource.Schema.Type())
				result.Diagnostics.Append(modelFrom(ctx, result.Resource.Schema.GetAttributes(), empty, &m)...)
				result.Diagnostics.Append(m.setFromAPI(w)...)
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
