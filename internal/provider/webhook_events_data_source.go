package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// NewWebhookEventsDataSource returns kakiyo_webhook_events.
func NewWebhookEventsDataSource() datasource.DataSource {
	return &listDataSource[kakiyo.WebhookEvent]{
		typeName: "webhook_events", attr: "events", noun: "webhook events",
		desc: "Lists the webhook event types Kakiyo documents (`GET /webhooks/test/events`, one call). Kakiyo's " +
			"pages name other event families too (such as `linkedin.message.sent`); this is the list its API returns.",
		item: cObjectList("The event types.", map[string]computed{
			"id": cString("Id of the event type, such as `prospect.qualified`."), "name": cString("Name."),
			"description": cString("What the event means."), "category": cString("Category, such as `agent`."),
		}),
		list: (*kakiyo.Client).ListWebhookEvents,
		id:   func(e *kakiyo.WebhookEvent) string { return e.ID },
		values: func(e *kakiyo.WebhookEvent) map[string]attr.Value {
			return map[string]attr.Value{"id": types.StringValue(e.ID), "name": types.StringPointerValue(e.Name),
				"description": types.StringPointerValue(e.Description), "category": types.StringPointerValue(e.Category)}
		},
	}
}
