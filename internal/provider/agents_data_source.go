package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

// agentSummary is what kakiyo_agents shows of each agent.
var agentSummary = cObjectList("The listed agents, sorted by id.",
	pick(agentAttrs, "id", "name", "status", "login", "country", "next_task"))

type agentSummaryModel struct {
	ID       types.String `tfsdk:"id"`
	Name     types.String `tfsdk:"name"`
	Status   types.String `tfsdk:"status"`
	Login    types.String `tfsdk:"login"`
	Country  types.String `tfsdk:"country"`
	NextTask types.String `tfsdk:"next_task"`
}

func (d *agentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agents"
}

func (d *agentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
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
			"agents": agentSummary.dataSource(),
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
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(""), "list", err))
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	ids := make([]string, 0, len(all))
	items := make([]agentSummaryModel, 0, len(all))
	for i := range all {
		a := &all[i]
		if !m.Status.IsNull() && a.Status != m.Status.ValueString() {
			continue
		}
		items = append(items, agentSummaryModel{
			ID: types.StringValue(a.ID), Name: types.StringPointerValue(a.Name),
			Status: types.StringValue(a.Status), Login: types.StringPointerValue(a.Login),
			Country: types.StringPointerValue(a.Country), NextTask: types.StringPointerValue(a.NextTask),
		})
		ids = append(ids, a.ID)
	}
	tflog.Debug(ctx, "Listed Kakiyo agents", map[string]any{"total": len(all), "matching": len(items)})
	var diags diag.Diagnostics
	m.IDs, diags = types.ListValueFrom(ctx, types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	m.Agents, diags = types.ListValueFrom(ctx, types.ObjectType{AttrTypes: agentSummary.attrTypes()}, items)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
