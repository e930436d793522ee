package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

var _ action.ActionWithConfigure = (*agentRelaunchAction)(nil)

// NewAgentRelaunchAction returns the kakiyo_agent_relaunch action
// (Terraform 1.14 and later).
func NewAgentRelaunchAction() action.Action { return &agentRelaunchAction{} }

type agentRelaunchAction struct {
	client *kakiyo.Client
}

type agentRelaunchModel struct {
	AgentID types.String `tfsdk:"agent_id"`
}

func (a *agentRelaunchAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent_relaunch"
}

func (a *agentRelaunchAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Relaunches an ended Kakiyo agent (`POST /agents/{id}/relaunch`, one API call): Kakiyo " +
			"keeps its id and returns it to `setup_needed`, with its LinkedIn session, proxy, alerts and current " +
			"tasks wiped; the next refresh of a `kakiyo_agent` shows the new status. Only an `ended` agent can be " +
			"relaunched: any other status gets an error that names it, and nothing changes. Invoke it with " +
			"`terraform apply -invoke=action.kakiyo_agent_relaunch.<name>`, or from a resource's " +
			"`lifecycle { action_trigger { ... } }`. Terraform 1.14 and later.",
		Attributes: map[string]schema.Attribute{
			"agent_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the agent to relaunch, for example `kakiyo_agent.sales.id`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (a *agentRelaunchAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = dataFrom(req.ProviderData, &resp.Diagnostics).client
}

func (a *agentRelaunchAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m agentRelaunchModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.AddError("Kakiyo provider not configured",
			"The kakiyo_agent_relaunch action needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")
		return
	}
	id := m.AgentID.ValueString()
	err := a.client.RelaunchAgent(ctx, id)
	switch {
	case err == nil, kakiyo.Relaunched(err):
		tflog.Info(ctx, "Relaunched Kakiyo agent", map[string]any{"agent_id": id})
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(
				"Kakiyo agent %s relaunched: its status is now setup_needed", id)})
		}
	case kakiyo.IsInvalidStatus(err):
		resp.Diagnostics.Append(agentNotRelaunchedDiagnostic(id, kakiyo.CurrentStatus(err), err))
	default:
		resp.Diagnostics.Append(apiErrorDiagnostic(agentObject(id), "relaunch", err))
	}
}

// agentNotRelaunchedDiagnostic explains Kakiyo's refusal to relaunch an
// agent that is not ended.
func agentNotRelaunchedDiagnostic(id, status string, err error) diag.Diagnostic {
	if status == "" {
		status = "unknown"
	}
	return diag.NewErrorDiagnostic("Kakiyo agent not ended", fmt.Sprintf(
		"Kakiyo refused to relaunch agent %q because its status is %q. Kakiyo relaunches an agent only when "+
			"its status is \"ended\".\n\nNothing changed: the agent keeps its status, LinkedIn session and history.\n\n"+
			"A running or paused agent needs no relaunch (pause and resume it with kakiyo_agent's paused); an agent "+
			"in setup_needed or auth_needed waits for its LinkedIn account (kakiyo_agent's linkedin block). Once "+
			"Kakiyo has ended the agent, invoke the action again.\n\nKakiyo's answer:\n%s", id, status, describe(err)))
}
