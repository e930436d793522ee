package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

var _ datasource.DataSourceWithConfigure = (*agentsDataSource)(nil)

// NewAgentsDataSource returns the kakiyo_agents data source.
func NewAgentsDataSource() datasource.DataSource { return &agentsDataSource{} }

type agentsDataSource struct {
	client *kakiyo.Client
}

type agentsDataModel struct {
	Status types.String `tfsdk:"status"`
	IDs    types.List   `tfsdk:"ids"`
	Agents types.List   `tfsdk:"agents"`
}

var agentSummaryAttrTypes = map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "status": types.StringType,
	"login": types.StringType, "country": types.StringType, "next_task": types.StringType,
}

func (d *agentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agents"
}

func (d *agentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the agents of the API key's team, optionally only those in one status. " +
			"One API call per page of results. Use it with `import` blocks and `for_each` to adopt agents, " +
			"for example to clean up every `ended` agent.",
		Attributes: map[string]schema.Attribute{
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only list agents in this status, e.g. `ended`. Any status Kakiyo reports is " +
					"accepted: `setup_needed`, `auth_needed`, `auth_in_progress`, `running`, `paused`, `disabled`, `ended`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"ids": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Ids of the listed agents, in the order of `agents`.",
			},
			"agents": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The listed agents, sorted by id.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":        str("Id of the agent."),
						"name":      str("Name of the agent's LinkedIn profile, if set up."),
						"status":    str("Agent status as Kakiyo reports it."),
						"login":     str("LinkedIn login (e-mail), if set up."),
						"country":   str("Two-letter country code, if set up."),
						"next_task": str("Time (ISO 8601) of the next scheduled task, if any."),
					},
				},
			},
		},
	}
}

func (d *agentsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *agentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m agentsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, err := d.client.ListAgents(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("list", "", err))
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	ids := make([]attr.Value, 0, len(all))
	items := make([]attr.Value, 0, len(all))
	for i := range all {
		a := &all[i]
		if !m.Status.IsNull() && a.Status != m.Status.ValueString() {
			continue
		}
		obj, diags := types.ObjectValue(agentSummaryAttrTypes, map[string]attr.Value{
			"id": types.StringValue(a.ID), "name": types.StringPointerValue(a.Name),
			"status": types.StringValue(a.Status), "login": types.StringPointerValue(a.Login),
			"country": types.StringPointerValue(a.Country), "next_task": types.StringPointerValue(a.NextTask),
		})
		resp.Diagnostics.Append(diags...)
		items = append(items, obj)
		ids = append(ids, types.StringValue(a.ID))
	}
	tflog.Debug(ctx, "Listed Kakiyo agents", map[string]any{"total": len(all), "matching": len(items)})
	var diags diag.Diagnostics
	m.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	m.Agents, diags = types.ListValue(types.ObjectType{AttrTypes: agentSummaryAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
