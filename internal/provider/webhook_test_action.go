package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

var _ action.ActionWithConfigure = (*webhookTestAction)(nil)

// NewWebhookTestAction returns the kakiyo_webhook_test action (Terraform
// 1.14 and later).
func NewWebhookTestAction() action.Action { return &webhookTestAction{} }

type webhookTestAction struct {
	client *kakiyo.Client
	reader *walk.Reader[kakiyo.Webhook]
}

type webhookTestModel struct {
	Event     types.String `tfsdk:"event"`
	WebhookID types.String `tfsdk:"webhook_id"`
}

func (a *webhookTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_test"
}

func (a *webhookTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks Kakiyo to send a sample payload of one event to every active webhook of the team " +
			"(`POST /webhooks/test`, one API call; Kakiyo bills each delivery). Use it to check that an endpoint " +
			"receives and verifies Kakiyo's deliveries: `terraform apply -invoke=action.kakiyo_webhook_test.<name>`, " +
			"or from a `kakiyo_webhook`'s `lifecycle { action_trigger { ... } }` after it is created. Terraform 1.14 " +
			"and later.",
		Attributes: map[string]schema.Attribute{
			"event": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Event whose sample payload is sent, one of those of Kakiyo's test endpoint (the " +
					"`kakiyo_webhook_events` data source lists them), such as `prospect.qualified`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"webhook_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "When set, the action first checks (one `GET /webhooks`) that this webhook exists and " +
					"is active, since Kakiyo sends tests to active webhooks only, and fails if not.",
			},
		},
	}
}

func (a *webhookTestAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	data := dataFrom(req.ProviderData, &resp.Diagnostics)
	a.client, a.reader = data.client, data.webhooks
}

func (a *webhookTestAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m webhookTestModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.AddError("Kakiyo provider not configured",
			"The kakiyo_webhook_test action needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")
		return
	}
	event := m.Event.ValueString()
	if id := m.WebhookID.ValueString(); id != "" {
		// The run's listing of webhooks, shared with their reads.
		webhooks, err := a.reader.All(ctx)
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(webhookObject(id), "find", err))
			return
		}
		var found *kakiyo.Webhook
		for _, w := range webhooks {
			if w.ID == id {
				found = w
			}
		}
		switch {
		case found == nil:
			resp.Diagnostics.AddError("Kakiyo webhook not found", fmt.Sprintf(
				"The team has no webhook %q (%d webhooks listed), so no test was sent. Check webhook_id.", id, len(webhooks)))
			return
		case found.Active != nil && !*found.Active:
			resp.Diagnostics.AddError("Kakiyo webhook disabled", fmt.Sprintf(
				"Webhook %q (%s) is disabled: Kakiyo disabled it after failed deliveries, and sends tests to active webhooks "+
					"only. No test was sent.\n\nApply the kakiyo_webhook resource to re-enable it, then invoke the action again.",
				id, found.URL))
			return
		}
	}
	res, err := a.client.TestWebhooks(ctx, event)
	if err != nil {
		if kakiyo.IsValidation(err) || kakiyo.HasCode(err, "invalid_event_type") {
			resp.Diagnostics.AddAttributeError(path.Root("event"), "Kakiyo refused the test event", fmt.Sprintf(
				"Kakiyo refused to send a test of the event %q.\n\n%s\n\nKakiyo's test endpoint knows: %s.",
				event, describe(err), a.testEvents(ctx)))
			return
		}
		resp.Diagnostics.Append(apiErrorDiagnostic(object{noun: "webhook test"}, "send", err))
		return
	}
	msg := fmt.Sprintf("Kakiyo sent a sample %q payload to the team's active webhooks", event)
	for _, n := range []*int{res.Delivered, res.Sent} {
		if n != nil {
			msg = fmt.Sprintf("Kakiyo sent a sample %q payload to %d active webhook(s)", event, *n)
			break
		}
	}
	tflog.Info(ctx, msg)
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}
}

// testEvents names the events of Kakiyo's test endpoint, for an error
// (one GET /webhooks/test/events, only then).
func (a *webhookTestAction) testEvents(ctx context.Context) string {
	events, err := a.client.ListWebhookEvents(ctx)
	if err != nil || len(events) == 0 {
		return "(the list could not be read; see the kakiyo_webhook_events data source)"
	}
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = fmt.Sprintf("%q", e.ID)
	}
	return strings.Join(ids, ", ")
}
