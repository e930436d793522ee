package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var _ datasource.DataSourceWithConfigure = (*agentsDataSource)(nil)

// NewAgentsDataSource returns the kakiyo_agents data source.
func NewAgentsDataSource() datasource.DataSource { return &agentsDataSource{} }

type agentsDataSource struct {
	reader *walk.Reader[kakiyo.Agent]
}

type agentsDataModel struct {
	Status types.String `tfsdk:"status"`
	IDs    types.List   `tfsdk:"ids"`
	Agents types.List   `tfsdk:"agents"`
}

// agentSummary is what kakiyo_agents shows of each agent.
var agentSummary = cObjectList("The listed agents, sorted by id.",
	pick(agentAttrs, "id", "name", "status", "login", "country", "next_task"))

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
	d.reader = dataFrom(req.ProviderData, &resp.Diagnostics).agents
}

func (d *agentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m agentsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The run's listing, shared with the agents' refresh, unless this run
	// changed an agent since it was made.
	listed, err := d.reader.All(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(""), "list", err))
		return
	}
	// The listing is shared: sort a copy. The state is built as Terraform
	// values directly: the framework's typed values and reflection cost
	// several times the memory for thousands of agents.
	all := slices.Clone(listed)
	slices.SortFunc(all, func(a, b *kakiyo.Agent) int { return strings.Compare(a.ID, b.ID) })
	stateType, _ := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	listType, _ := stateType.AttributeTypes["agents"].(tftypes.List)
	objType, _ := listType.ElementType.(tftypes.Object)
	str := func(s *string) tftypes.Value {
		if s == nil {
			return tftypes.NewValue(tftypes.String, nil)
		}
		return tftypes.NewValue(tftypes.String, *s)
	}
	ids := make([]tftypes.Value, 0, len(all))
	items := make([]tftypes.Value, 0, len(all))
	for _, a := range all {
		if !m.Status.IsNull() && a.Status != m.Status.ValueString() {
			continue
		}
		id := tftypes.NewValue(tftypes.String, a.ID)
		fields := map[string]tftypes.Value{
			"id": id, "name": str(a.Name), "status": tftypes.NewValue(tftypes.String, a.Status),
			"login": str(a.Login), "country": str(a.Country), "next_task": str(a.NextTask),
		}
		if len(items) == 0 {
			if err := tftypes.ValidateValue(objType, fields); err != nil {
				resp.Diagnostics.AddError("Provider bug: kakiyo_agents", "The listed agents do not fit the schema: "+
					err.Error()+". Please report this to the provider's maintainers.")
				return
			}
		}
		items = append(items, tftypes.NewValue(objType, fields))
		ids = append(ids, id)
	}
	tflog.Debug(ctx, "Listed Kakiyo agents", map[string]any{"total": len(all), "matching": len(items)})
	status := tftypes.NewValue(tftypes.String, nil)
	if !m.Status.IsNull() {
		status = tftypes.NewValue(tftypes.String, m.Status.ValueString())
	}
	resp.State.Raw = tftypes.NewValue(stateType, map[string]tftypes.Value{
		"status": status,
		"ids":    tftypes.NewValue(stateType.AttributeTypes["ids"], ids),
		"agents": tftypes.NewValue(listType, items),
	})
}
