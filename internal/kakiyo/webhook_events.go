package kakiyo

import "context"

// WebhookEvent is an event a webhook may subscribe to, as GET
// /webhooks/test/events lists it (a bare array).
type WebhookEvent struct {
	ID          string  `json:"id"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Category    *string `json:"category"`
}

var (
	epListWebhookEvents = endpoint{method: "GET", template: "/webhooks/test/events"}
	webhookEventList    = list[WebhookEvent]{ep: epListWebhookEvents, noun: "webhook events",
		keys: []string{"events", "data", "items"}, id: func(e *WebhookEvent) string { return e.ID }}
)

// ListWebhookEvents calls GET /webhooks/test/events.
func (c *Client) ListWebhookEvents(ctx context.Context) ([]WebhookEvent, error) {
	return collect(ctx, c, webhookEventList)
}
