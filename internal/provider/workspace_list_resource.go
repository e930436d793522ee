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

var _ list.ListResourceWithConfigure = (*workspaceListResource)(nil)

// NewWorkspaceListResource returns the kakiyo_workspace list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewWorkspaceListResource() list.ListResource { return &workspaceListResource{} }

type workspaceListResource struct {
	reader *walkReader[kakiyo.Workspace]
}

func (l *workspaceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (l *workspaceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the agency's client workspaces (Kakiyo's Agency plan) for `terraform query` " +
			"(Terraform 1.14 and later): one `GET /workspaces` per query. With `-generate-config-out`, Terraform writes an " +
			"`import` block and a `kakiyo_workspace` block for each.",
	}
}

func (l *workspaceListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.reader = dataFrom(req.ProviderData, &resp.Diagnostics).workspaces
}

func (l *workspaceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.reader == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(diag.NewErrorDiagnostic("Kakiyo provider not configured",
			"The kakiyo_workspace list resource needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")))
		return
	}
	listed, err := l.reader.all(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(workspaceErrorDiagnostic(workspaceObject(""), "list", err)))
		return
	}
	workspaces := slices.Clone(listed)
	slices.SortFunc(workspaces, func(a, b *kakiyo.Workspace) int { return strings.Compare(a.ID, b.ID) })
	stream.Results = func(push func(list.ListResult) bool) {
		for i, w := range workspaces {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = w.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, idIdentityModel{ID: types.StringValue(w.ID)})...)
			if req.IncludeResource {
				var m workspaceModel
				empty := emptyObject(ctx, result.Resource.Schema.Type())
				result.Diagnostics.Append(modelFrom(ctx, result.Resource.Schema.GetAttributes(), empty, &m)...)
				m.setFromAPI(w)
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
