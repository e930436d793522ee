package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// NewProductsDataSource returns kakiyo_products.
func NewProductsDataSource() datasource.DataSource {
	return &listDataSource[kakiyo.Product]{
		typeName: "products", attr: "products", noun: "products",
		desc: "Lists the products of the API key's team (`GET /products`, one call per page), sorted by id: " +
			"what a campaign sells (`product_id`). Kakiyo has not documented the answer's shape; every plausible " +
			"one is read.",
		item: cObjectList("The products.", map[string]computed{
			"id": cString("Id of the product."), "name": cString("Name of the product."),
			"description": cString("Description of the product."),
		}),
		list: (*kakiyo.Client).ListProducts,
		id:   func(p *kakiyo.Product) string { return p.ID },
		values: func(p *kakiyo.Product) map[string]attr.Value {
			return map[string]attr.Value{"id": types.StringValue(p.ID), "name": types.StringPointerValue(p.Name),
				"description": types.StringPointerValue(p.Description)}
		},
	}
}
