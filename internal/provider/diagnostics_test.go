package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// Each kind of failure gets its own summary, and a detail that names the
// object and says what Kakiyo answered and what to do next.
func TestAPIErrorDiagnostic(t *testing.T) {
	apiErr := func(status int, code, msg string) error {
		return &kakiyo.APIError{Method: "GET", Path: "/webhooks", StatusCode: status, Code: code, Message: msg}
	}
	webhook := object{noun: "webhook", id: "w1"}
	cases := []struct {
		name    string
		obj     object
		err     error
		summary string
		details []string
	}{
		{"rejected key", webhook, apiErr(401, "invalid_api_key", "Invalid API key"), "Kakiyo API key rejected",
			[]string{`read Kakiyo webhook "w1"`, "HTTP status: 401 Unauthorized", "API error code: invalid_api_key", EnvAPIKey}},
		{"inactive subscription", webhook, apiErr(403, "subscription_inactive", "inactive"), "Kakiyo subscription inactive",
			[]string{"Reactivate the subscription"}},
		{"another team's object", webhook, apiErr(403, "forbidden", "You do not have access"), "No access to Kakiyo webhook",
			[]string{"no access to this webhook", "owns the webhook"}},
		{"validation", agentObject("a1"), apiErr(400, "validation_error", "limits.invitationsMax must be between 2 and 100"),
			"Kakiyo rejected the agent settings", []string{"limits.invitationsMax must be between 2 and 100"}},
		{"other API error, retried", object{noun: "agent"},
			&kakiyo.RetryError{Attempts: 6, Reason: "5 retries exhausted", Last: apiErr(503, "", "")},
			"Kakiyo API error", []string{"a Kakiyo agent", "HTTP status: 503", "Attempts: 6 (5 retries exhausted"}},
		{"not JSON", webhook, &kakiyo.DecodeError{Method: "GET", Path: "/webhooks", StatusCode: 200, Body: "<html>", Err: errors.New("bad")},
			"Unexpected response from Kakiyo", []string{"HTTP 200", "<html>", "base_url"}},
		{"deadline", webhook, fmt.Errorf("waiting: %w", context.DeadlineExceeded), "Kakiyo operation timed out",
			[]string{"timeouts attribute"}},
		{"canceled", webhook, context.Canceled, "Kakiyo API request interrupted", nil},
		{"no answer", webhook, &kakiyo.TransportError{Method: "GET", Path: "/webhooks", Err: errors.New("connection refused")},
			"Kakiyo API unreachable", []string{"connection refused", "base_url"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantDiag(t, diag.Diagnostics{apiErrorDiagnostic(tc.obj, "read", tc.err)}, tc.summary, tc.details...)
		})
	}
}

func TestObjectWordings(t *testing.T) {
	err := &kakiyo.TransportError{Method: "POST", Path: "/webhooks", Written: true, Err: errors.New("EOF")}
	d := mayHaveCreatedDiagnostic("agent", err, "Look for it.")
	if d.Summary() != "Kakiyo may have created an agent" || !strings.Contains(d.Detail(), "create an agent reached Kakiyo") {
		t.Errorf("%s: %s", d.Summary(), d.Detail())
	}
	if d := mayHaveCreatedDiagnostic("webhook", err, ""); d.Summary() != "Kakiyo may have created a webhook" {
		t.Errorf("summary %q", d.Summary())
	}
	d = createIncompleteDiagnostic(object{noun: "webhook", id: "w1"}, "kakiyo_webhook", "enable", err, "")
	if !strings.Contains(d.Detail(), "terraform untaint 'kakiyo_webhook.<name>'") || !strings.HasSuffix(d.Detail(), "replaces it.") {
		t.Errorf("detail: %s", d.Detail())
	}
}
