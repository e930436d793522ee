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
)

var _ datasource.DataSourceWithConfigure = (*agentDataSource)(nil)

// NewAgentDataSource returns the kakiyo_agent data source.
func NewAgentDataSource() datasource.DataSource { return &agentDataSource{} }

type agentDataSource struct {
	client *kakiyo.Client
}

func (d *agentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent"
}

func (d *agentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Kakiyo agent by id (one API call). Fails if the agent does not exist " +
			"or belongs to another team.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the agent.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name":      str("Name of the agent's LinkedIn profile; null until the agent is set up."),
			"status":    str("Agent status as Kakiyo reports it, e.g. `running` or `ended`."),
			"login":     str("LinkedIn login (e-mail) of the agent; null until the agent is set up."),
			"country":   str("Two-letter country code of the agent; null until the agent is set up."),
			"avatar":    str("URL of the agent's avatar; null until the agent is set up."),
			"next_task": str("Time (ISO 8601) of the agent's next scheduled task, if any."),
			"paused":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the agent's status is `paused`."},
			"working_hours": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "When the agent works.",
				Attributes: map[string]schema.Attribute{
					"days":     str("Seven `0`/`1` flags separated by colons, Monday first."),
					"start":    str("Start of the working day, `HH:MM`."),
					"stop":     str("End of the working day, `HH:MM`."),
					"timezone": schema.Float64Attribute{Computed: true, MarkdownDescription: "Time zone as Kakiyo reports it."},
				},
			},
			"usage": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Usage counters as Kakiyo reports them.",
				Attributes: map[string]schema.Attribute{
					"invitations":       schema.Int64Attribute{Computed: true, MarkdownDescription: "Invitations sent."},
					"invitations_daily": schema.Int64Attribute{Computed: true, MarkdownDescription: "Invitations sent today."},
					"messages":          schema.Int64Attribute{Computed: true, MarkdownDescription: "Messages sent."},
					"messages_daily":    schema.Int64Attribute{Computed: true, MarkdownDescription: "Messages sent today."},
					"next_invitation":   str("Time (ISO 8601) of the next invitation."),
					"next_message":      str("Time (ISO 8601) of the next message."),
				},
			},
			"alerts": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Open alerts on the agent.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"type":     str("Alert type, e.g. `auth`."),
						"sub_type": str("Alert sub-type, e.g. `2fa_required`."),
						"message":  str("Alert text."),
						"severity": str("Alert severity, e.g. `warning`."),
					},
				},
			},
		},
	}
}

func (d *agentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *agentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m agentView
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ID.ValueString()
	a, err := d.client.GetAgent(ctx, id)
	if kakiyo.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Kakiyo agent not found", fmt.Sprintf(
			"Kakiyo has no agent %q in the API key's team. Check the id (the Kakiyo dashboard shows it), or that "+
				"the API key belongs to the team that owns the agent.", id))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("read", id, err))
		return
	}
	resp.Diagnostics.Append(m.setFromAPI(a)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
