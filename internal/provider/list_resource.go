package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// objectListResource is a list resource for `terraform query` (Terraform
// 1.14 and later) over a kind of Kakiyo object that the run's reader lists:
// every object of the team (or those its configuration's filter keeps),
// sorted, each with its identity, a readable name and, when Terraform asks,
// the resource as an import would read it. One listing per query. It knows
// no Kakiyo object: each object's file declares one.
type objectListResource[T, M any] struct {
	typeName    string // "_webhook"
	description string
	// config is the list block's arguments, if it has any; filter reads them
	// (from req.Config) and says which objects to keep.
	config map[string]schema.Attribute
	filter func(ctx context.Context, req list.ListRequest) (func(*T) bool, diag.Diagnostics)
	reader func(providerData) *walk.Reader[T]
	// listErr turns a failed listing into a diagnostic (apiErrorDiagnostic
	// unless the object has its own).
	listErr func(err error) diag.Diagnostic
	// key is the object's key in the run's reader (its id, or what the
	// reader reads it by): results come in its order.
	key     func(*T) string
	display func(*T) string
	// identity is the object's identity model.
	identity func(*T) any
	// whole, when set, says whether a listed item is the whole object; one
	// that is not is read by id before its resource is built (readErr, when
	// set, reports a read that fails; otherwise the listed item serves).
	whole   func(*T) bool
	readErr func(key string, err error) diag.Diagnostic
	// toModel sets the resource model m (read from an all-null object of the
	// resource's schema) from the object, as an import followed by a refresh
	// would.
	toModel func(ctx context.Context, m *M, o *T) diag.Diagnostics

	r *walk.Reader[T]
}

func (l *objectListResource[T, M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.typeName
}

func (l *objectListResource[T, M]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{MarkdownDescription: l.description, Attributes: l.config}
}

func (l *objectListResource[T, M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	l.r = l.reader(dataFrom(req.ProviderData, &resp.Diagnostics))
}

func (l *objectListResource[T, M]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	keep := func(*T) bool { return true }
	if l.filter != nil {
		f, diags := l.filter(ctx, req)
		if diags.HasError() {
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
		keep = f
	}
	if l.r == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(diag.NewErrorDiagnostic("Kakiyo provider not configured",
			"The kakiyo"+l.typeName+" list resource needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")))
		return
	}
	listed, err := l.r.All(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(l.listErr(err)))
		return
	}
	objects := slices.Clone(listed)
	slices.SortFunc(objects, func(a, b *T) int { return strings.Compare(l.key(a), l.key(b)) })
	stream.Results = func(push func(list.ListResult) bool) {
		sent := int64(0)
		for _, o := range objects {
			if !keep(o) {
				continue
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = l.display(o)
			result.Diagnostics.Append(result.Identity.Set(ctx, l.identity(o))...)
			if req.IncludeResource {
				l.resourceOf(ctx, o, &result)
			}
			sent++
			if !push(result) {
				return
			}
		}
	}
}

// resourceOf fills result's resource as an import followed by a refresh
// would; an object that the listing shows only in part is read by id.
func (l *objectListResource[T, M]) resourceOf(ctx context.Context, o *T, result *list.ListResult) {
	if l.whole != nil && !l.whole(o) {
		full, err := l.r.Read(ctx, l.key(o))
		switch {
		case err == nil:
			o = full
		case l.readErr != nil:
			result.Diagnostics.Append(l.readErr(l.key(o), err))
			return
		}
	}
	var m M
	result.Diagnostics.Append(modelFrom(ctx, result.Resource.Schema.GetAttributes(),
		emptyObject(ctx, result.Resource.Schema.Type()), &m)...)
	if result.Diagnostics.HasError() {
		return
	}
	result.Diagnostics.Append(l.toModel(ctx, &m, o)...)
	raw, diags := terraformValue(ctx, result.Resource.Schema.Type(), &m)
	result.Diagnostics.Append(diags...)
	if !diags.HasError() {
		result.Resource.Raw = raw
	}
}
