package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var _ datasource.DataSourceWithConfigure = (*agentDataSource)(nil)

// NewAgentDataSource returns the kakiyo_agent data source.
func NewAgentDataSource() datasource.DataSource { return &agentDataSource{} }

type agentDataSource struct {
	client *kakiyo.Client
	reader *walk.Reader[kakiyo.Agent]
}

func (d *agentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent"
}

func (d *agentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "Id of the agent.",
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
	}
	for name, a := range agentAttrs {
		if name != "id" {
			attrs[name] = a.dataSource()
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Kakiyo agent by id (one API call; where a run reads many agents, they " +
			"share one listing, as `refresh_mode` describes). Fails if the agent does not exist or belongs to another team.",
		Attributes: attrs,
	}
}

func (d *agentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	d.client, d.reader = data.client, data.agents
}

func (d *agentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m agentView
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ID.ValueString()
	a, err := d.reader.Read(ctx, id)
	gone, err := settleGone(ctx, d.client, err)
	if gone {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Kakiyo agent not found", fmt.Sprintf(
			"Kakiyo has no agent %q in the API key's team. Check the id (the Kakiyo dashboard shows it), or that "+
				"the API key belongs to the team that owns the agent.", id))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "read", err))
		return
	}
	resp.Diagnostics.Append(m.setFromAPI(a)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
