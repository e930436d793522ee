package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// listDataSource is a data source that lists a kind of object, with no
// argument: one attribute holding every item (sorted by id), one API call
// per page. It knows no Kakiyo object: the object's file declares it.
type listDataSource[T any] struct {
	typeName string // "models", for kakiyo_models
	desc     string
	attr     string   // the list attribute, e.g. "models"
	item     computed // cObjectList of the items' attributes
	noun     string   // plural, for errors
	list     func(*kakiyo.Client, context.Context) ([]T, error)
	id       func(*T) string
	values   func(*T) map[string]attr.Value

	client *kakiyo.Client
}

var _ datasource.DataSourceWithConfigure = (*listDataSource[kakiyo.Product])(nil)

func (d *listDataSource[T]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.typeName
}

func (d *listDataSource[T]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: d.desc,
		Attributes:          map[string]schema.Attribute{d.attr: d.item.dataSource()},
	}
}

func (d *listDataSource[T]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = dataFrom(req.ProviderData, &resp.Diagnostics).client
}

func (d *listDataSource[T]) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	items, err := d.list(d.client, ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(object{noun: d.noun}, "list", err))
		return
	}
	slices.SortFunc(items, func(a, b T) int { return strings.Compare(d.id(&a), d.id(&b)) })
	attrTypes := d.item.attrTypes()
	values := make([]attr.Value, 0, len(items))
	for i := range items {
		obj, diags := types.ObjectValue(attrTypes, d.values(&items[i]))
		resp.Diagnostics.Append(diags...)
		values = append(values, obj)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: attrTypes}, values)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.attr), list)...)
}
