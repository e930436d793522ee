package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// What Kakiyo reports of a model, declared once for kakiyo_model and
// kakiyo_models.
var modelAttrs = map[string]computed{
	"id":     cString("Id of the model, such as `680321c8001e2f527d82`."),
	"name":   cString("Name of the model, such as `GPT 5 Mini`."),
	"status": cString("Status of the model; Kakiyo lists only `active` ones."),
	"pricing": cObject("Price of the model's tokens, as Kakiyo reports it (the unit is not documented: the "+
		"figures look like dollars per million tokens).", map[string]computed{
		"input":  cFloat64("Price of input tokens."),
		"output": cFloat64("Price of output tokens."),
		"cached": cFloat64("Price of cached input tokens; null when Kakiyo gives none."),
	}),
}

func modelValues(m *kakiyo.Model) map[string]attr.Value {
	pricingTypes := modelAttrs["pricing"].attrTypes()
	pricing := types.ObjectNull(pricingTypes)
	if p := m.Pricing; p != nil {
		pricing = types.ObjectValueMust(pricingTypes, map[string]attr.Value{
			"input": types.Float64PointerValue(p.Input), "output": types.Float64PointerValue(p.Output),
			"cached": types.Float64PointerValue(p.Cached),
		})
	}
	return map[string]attr.Value{"id": types.StringValue(m.ID), "name": types.StringPointerValue(m.Name),
		"status": types.StringPointerValue(m.Status), "pricing": pricing}
}

// NewModelsDataSource returns kakiyo_models.
func NewModelsDataSource() datasource.DataSource {
	return &listDataSource[kakiyo.Model]{
		typeName: "models", attr: "models", noun: "models",
		desc: "Lists the AI models Kakiyo offers (`GET /models`, one call), sorted by id: only active ones, " +
			"as Kakiyo lists them.",
		item:   cObjectList("The models.", modelAttrs),
		list:   (*kakiyo.Client).ListModels,
		id:     func(m *kakiyo.Model) string { return m.ID },
		values: modelValues,
	}
}

var _ datasource.DataSourceWithConfigValidators = (*modelDataSource)(nil)

// NewModelDataSource returns kakiyo_model.
func NewModelDataSource() datasource.DataSource { return &modelDataSource{} }

type modelDataSource struct {
	client *kakiyo.Client
}

func (d *modelDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model"
}

func (d *modelDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "Id of the model (`GET /models/{id}`, one call). Set `id` or `name`."},
		"name": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "Name of the model, such as `GPT 5 Mini`, not case sensitive (`GET /models`, one call; " +
				"active models only). Set `id` or `name`."},
	}
	for name, a := range modelAttrs {
		if name != "id" && name != "name" {
			attrs[name] = a.dataSource()
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One AI model Kakiyo offers, by id or by name: for example the `model` of a prompt.",
		Attributes:          attrs,
	}
}

func (d *modelDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *modelDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = dataFrom(req.ProviderData, &resp.Diagnostics).client
}

type modelLookup struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

func (d *modelDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var by modelLookup
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &by.ID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &by.Name)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var model *kakiyo.Model
	if id := by.ID.ValueString(); id != "" {
		m, err := d.client.GetModel(ctx, id)
		if kakiyo.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Kakiyo model not found", fmt.Sprintf(
				"Kakiyo has no model %q. The kakiyo_models data source lists the models Kakiyo offers.", id))
			return
		}
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(object{noun: "model", id: id}, "read", err))
			return
		}
		model = m
	} else {
		models, err := d.client.ListModels(ctx)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(object{noun: "models"}, "list", err))
			return
		}
		var names []string
		for i := range models {
			if name := models[i].Name; name != nil {
				names = append(names, *name)
				if strings.EqualFold(*name, by.Name.ValueString()) {
					model = &models[i]
				}
			}
		}
		if model == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Kakiyo model not found", fmt.Sprintf(
				"Kakiyo offers no active model named %q. Its models: %s.", by.Name.ValueString(), strings.Join(names, ", ")))
			return
		}
	}
	for name, v := range modelValues(model) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}
