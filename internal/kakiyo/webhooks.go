package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// Webhooks. POST /webhooks is documented; the list, update and delete are
// known from Kakiyo's MCP tools and guide only, so their paths and verbs are
// inferred: GET /webhooks, PUT /webhooks/{id} (PATCH when Kakiyo answers PUT
// with 405), DELETE /webhooks/{id}. No single-webhook GET is known.

// Webhook is a webhook as Kakiyo shows it. The secret is never echoed.
type Webhook struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	// Active is false when Kakiyo disabled the webhook after failed
	// deliveries; nil when the answer did not say.
	Active *bool `json:"active"`
}

// UnmarshalJSON accepts "id" or "$id", and events as an array or a single
// string ("*").
func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	var aux struct {
		plain
		Events json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*w = Webhook(aux.plain)
	appwriteID(b, &w.ID)
	if len(aux.Events) > 0 && string(aux.Events) != "null" {
		var one string
		if json.Unmarshal(aux.Events, &one) == nil {
			w.Events = []string{one}
		} else if err := json.Unmarshal(aux.Events, &w.Events); err != nil {
			return err
		}
	}
	return nil
}

// WebhookInput is the body of POST /webhooks and of the update. Secret is
// sent only when set and is never logged; Active only when set (to
// re-enable a webhook that Kakiyo disabled).
type WebhookInput struct {
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Secret *string  `json:"secret,omitempty"`
	Active *bool    `json:"active,omitempty"`
}

var (
	// A webhook has no idempotency key: a create repeated after a lost answer
	// would make a second webhook, and every event would be delivered (and
	// billed) twice.
	epCreateWebhook  = endpoint{method: "POST", template: "/webhooks", creates: true}
	epListWebhooks   = endpoint{method: "GET", template: "/webhooks"}
	epUpdateWebhook  = endpoint{method: "PUT", template: "/webhooks/{id}"}
	epPatchWebhook   = endpoint{method: "PATCH", template: "/webhooks/{id}"}
	epDeleteWebhook  = endpoint{method: "DELETE", template: "/webhooks/{id}"}
	epTestWebhooks   = endpoint{method: "POST", template: "/webhooks/test"}
	webhookList      = list[Webhook]{ep: epListWebhooks, noun: "webhooks", keys: []string{"webhooks", "data", "items", "results"}, id: func(w *Webhook) string { return w.ID }}
	webhookEnvelopes = []string{"webhook", "data"}
	errNoWebhookID   = errors.New("kakiyo API POST /webhooks: the response holds no webhook id")
)

func webhookPath(id string) string { return "/webhooks/" + url.PathEscape(id) }

// CreateWebhook calls POST /webhooks. The answer is the webhook (bare, or
// under "webhook" or "data") plus a message; a field it lacks is taken from
// in. Failures after Kakiyo may have received the request are
// *UnknownOutcomeError (see MayHaveCreated).
func (c *Client) CreateWebhook(ctx context.Context, in WebhookInput) (*Webhook, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epCreateWebhook, epCreateWebhook.template, in, &raw); err != nil {
		return nil, err
	}
	var w Webhook
	if err := unwrap(raw, webhookEnvelopes, &w); err != nil {
		return nil, c.notTheObject(epCreateWebhook, raw, err)
	}
	if w.ID == "" {
		return nil, c.notTheObject(epCreateWebhook, raw, errNoWebhookID)
	}
	fillWebhook(&w, in)
	c.trust()
	return &w, nil
}

// fillWebhook completes an answer that did not echo every field.
func fillWebhook(w *Webhook, in WebhookInput) {
	if w.Name == "" {
		w.Name = in.Name
	}
	if w.URL == "" {
		w.URL = in.URL
	}
	if w.Events == nil {
		w.Events = in.Events
	}
}

// ListWebhookPages calls GET /webhooks and hands each page to fn.
func (c *Client) ListWebhookPages(ctx context.Context, fn func([]Webhook) error) error {
	return webhookList.each(ctx, c, fn)
}

// UpdateWebhook changes webhook id in place: PUT /webhooks/{id}, or PATCH
// when Kakiyo answers PUT with 405 Method Not Allowed (the verb is not
// documented; the client then keeps using PATCH).
func (c *Client) UpdateWebhook(ctx context.Context, id string, in WebhookInput) error {
	return c.doEither(ctx, epUpdateWebhook, epPatchWebhook, webhookPath(id), in, nil)
}

// DeleteWebhook calls DELETE /webhooks/{id}. not_found is returned as is.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	return c.do(ctx, epDeleteWebhook, webhookPath(id), nil, nil)
}

// WebhookTestResult is what POST /webhooks/test answered (undocumented:
// whatever of these fields it has).
type WebhookTestResult struct {
	Message   string `json:"message"`
	Delivered *int   `json:"delivered"`
	Sent      *int   `json:"sent"`
}

// TestWebhooks calls POST /webhooks/test: Kakiyo sends a sample payload of
// event to every active webhook of the team.
func (c *Client) TestWebhooks(ctx context.Context, event string) (*WebhookTestResult, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epTestWebhooks, epTestWebhooks.template, map[string]string{"event": event}, &raw); err != nil {
		return nil, err
	}
	var r WebhookTestResult
	_ = unwrap(raw, []string{"data"}, &r) // any 2xx answer means sent
	return &r, nil
}

// WebhookEventFamilies are the three lists of event names that Kakiyo's
// pages give (they disagree; which names the dispatcher emits is not
// documented). "*" subscribes to every event.
var WebhookEventFamilies = map[string][]string{
	"guide (docs.kakiyo.com/guides, help center)": {"*", "linkedin.message.sent", "linkedin.message.received",
		"linkedin.invitation.sent", "linkedin.invitation.accepted"},
	"webhooks page (docs.kakiyo.com/webhooks)": {"*", "linkedin.message.sent", "linkedin.message.received",
		"linkedin.invitation.sent", "linkedin.invitation.accepted", "prospect.qualification.manual", "prospect.unqualified"},
	"API reference (create and test pages)": {"prospect.qualified", "prospect.responded", "campaign.completed",
		"message.sent", "connection.accepted", "agent.status_changed"},
}

// IsKnownWebhookEvent reports whether one of Kakiyo's pages names event.
func IsKnownWebhookEvent(event string) bool {
	for _, names := range WebhookEventFamilies {
		for _, n := range names {
			if n == event {
				return true
			}
		}
	}
	return false
}
