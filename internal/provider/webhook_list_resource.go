package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// NewWebhookListResource returns the kakiyo_webhook list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewWebhookListResource() list.ListResource {
	return &objectListResource[kakiyo.Webhook, webhookModel]{
		typeName: "_webhook",
		description: "Lists the webhooks of the API key's team for `terraform query` (Terraform 1.14 and later): " +
			"one `GET /webhooks` per query. With `-generate-config-out`, Terraform writes an `import` block and a " +
			"`kakiyo_webhook` block for each (without the secret, which Kakiyo never shows: add `secret_wo` and " +
			"`secret_wo_version` to send one).",
		reader:   func(d providerData) *walk.Reader[kakiyo.Webhook] { return d.webhooks },
		listErr:  func(err error) diag.Diagnostic { return apiErrorDiagnostic(webhookObject(""), "list", err) },
		key:      func(w *kakiyo.Webhook) string { return w.ID },
		display:  func(w *kakiyo.Webhook) string { return w.Name + " (" + w.URL + ")" },
		identity: func(w *kakiyo.Webhook) any { return idIdentityModel{ID: types.StringValue(w.ID)} },
		toModel: func(_ context.Context, m *webhookModel, w *kakiyo.Webhook) diag.Diagnostics {
			m.setFromAPI(w)
			return nil
		},
	}
}
