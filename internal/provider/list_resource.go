package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// objectListResource is a list resource for `terraform query` (Terraform
// 1.14 and later) over a kind of Kakiyo object that the walk's reader
// lists, without configuration: every object of the team, sorted, each with
// its identity, a readable name and, when Terraform asks, the resource as an
// import would read it. One listing per query. It knows no Kakiyo object:
// each object's file declares one.
type objectListResource[T, M any] struct {
	typeName    string // "_webhook"
	description string
	reader      func(providerData) *walkReader[T]
	// listErr turns a failed listing into a diagnostic (apiErrorDiagnostic
	// unless the object has its own).
	listErr func(err error) diag.Diagnostic
	// key is the object's key in the walk's reader (its id, or what the
	// reader reads it by): results come in its order.
	key     func(*T) string
	display func(*T) string
	// identity is the object's identity model.
	identity func(*T) any
	// whole, when set, says whether a listed item is the whole object; one
	// that is not is read by id before its resource is built.
	whole func(*T) bool
	// fill sets the resource model m (read from an all-null object of the
	// resource's schema) from the object, as an import would.
	fill func(m *M, o *T)

	r *walkReader[T]
}

func (l *objectListResource[T, M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.typeName
}

func (l *objectListResource[T, M]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{MarkdownDescription: l.description}
}

func (l *objectListResource[T, M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	l.r = l.reader(dataFrom(req.ProviderData, &resp.Diagnostics))
}

func (l *objectListResource[T, M]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.r == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(diag.NewErrorDiagnostic("Kakiyo provider not configured",
			"The kakiyo"+l.typeName+" list resource needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")))
		return
	}
	listed, err := l.r.all(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(l.listErr(err)))
		return
	}
	objects := slices.Clone(listed)
	slices.SortFunc(objects, func(a, b *T) int { return strings.Compare(l.key(a), l.key(b)) })
	stream.Results = func(push func(list.ListResult) bool) {
		for i, o := range objects {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if req.IncludeResource && l.whole != nil && !l.whole(o) {
				if full, err := l.r.read(ctx, l.key(o)); err == nil {
					o = full
				}
			}
			result := req.NewListResult(ctx)
			result.DisplayName = l.display(o)
			result.Diagnostics.Append(result.Identity.Set(ctx, l.identity(o))...)
			if req.IncludeResource {
				var m M
				result.Diagnostics.Append(modelFrom(ctx, result.Resource.Schema.GetAttributes(),
					emptyObject(ctx, result.Resource.Schema.Type()), &m)...)
				l.fill(&m, o)
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
