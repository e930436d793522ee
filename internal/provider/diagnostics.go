package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// Diagnostics are built here, and only here, so that every resource speaks
// the same way: a short, specific summary; a detail that says what happened
// (agent id, HTTP status, API code, message, current status), why, and what
// the user can do next. The API key is never part of an error, so it can
// never reach a diagnostic.

// apiErrorDiagnostic turns a failed client call into a diagnostic. action is
// a verb phrase such as "delete" or "read"; agentID may be empty (create).
func apiErrorDiagnostic(action, agentID string, err error) diag.Diagnostic {
	subject := "a Kakiyo agent"
	if agentID != "" {
		subject = fmt.Sprintf("Kakiyo agent %q", agentID)
	}
	var apiErr *kakiyo.APIError
	var decErr *kakiyo.DecodeError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return diag.NewErrorDiagnostic("Kakiyo operation timed out", fmt.Sprintf(
			"The request to %s %s did not complete in time: %v\n\n"+
				"The operation's time limit (the resource's timeouts block) ran out, possibly while waiting for Kakiyo's "+
				"rate limit or between retries. Run Terraform again, or raise the limit in the timeouts block.",
			action, subject, err))
	case errors.Is(err, context.Canceled):
		return diag.NewErrorDiagnostic("Kakiyo API request interrupted", fmt.Sprintf(
			"The request to %s %s was interrupted: %v\n\nRun Terraform again.", action, subject, err))
	case kakiyo.IsUnauthorized(err):
		return diag.NewErrorDiagnostic("Kakiyo API key rejected", fmt.Sprintf(
			"Kakiyo did not accept the API key when asked to %s %s.\n\n%s\n\n"+
				"Check the provider's api_key argument or the %s environment variable: it must be a current, "+
				"40-character key of your Kakiyo team (Kakiyo dashboard, API Keys). A key that was deleted or "+
				"regenerated no longer works.", action, subject, describe(err), EnvAPIKey))
	case kakiyo.IsSubscriptionInactive(err):
		return diag.NewErrorDiagnostic("Kakiyo subscription inactive", fmt.Sprintf(
			"Kakiyo refused to %s %s because the team's subscription is inactive.\n\n%s\n\n"+
				"Reactivate the subscription in the Kakiyo dashboard, then run Terraform again.", action, subject, describe(err)))
	case kakiyo.IsForbidden(err):
		return diag.NewErrorDiagnostic("No access to Kakiyo agent", fmt.Sprintf(
			"Kakiyo refused to %s %s: the API key's team has no access to this agent.\n\n%s\n\n"+
				"The agent belongs to another team, or the key lacks permission. Use an API key of the team that "+
				"owns the agent, or check the agent id.", action, subject, describe(err)))
	case kakiyo.IsValidation(err):
		return diag.NewErrorDiagnostic("Kakiyo rejected the agent settings", fmt.Sprintf(
			"Kakiyo rejected the request to %s %s as invalid.\n\n%s\n\n"+
				"Correct the setting the message names and apply again.", action, subject, describe(err)))
	case errors.As(err, &apiErr):
		return diag.NewErrorDiagnostic("Kakiyo API error", fmt.Sprintf(
			"Kakiyo answered with an error when asked to %s %s.\n\n%s\n\n"+
				"If the error is temporary (HTTP 429 or 5xx), run Terraform again; otherwise contact Kakiyo support "+
				"with the details above.", action, subject, describe(err)))
	case errors.As(err, &decErr):
		return diag.NewErrorDiagnostic("Unexpected response from Kakiyo", fmt.Sprintf(
			"Kakiyo answered HTTP %d when asked to %s %s, but the response could not be understood: %v\n\n"+
				"Response body: %s\n\nCheck that base_url points at the Kakiyo API (for example %s).",
			decErr.StatusCode, action, subject, decErr.Err, orEmpty(decErr.Body), kakiyo.DefaultBaseURL))
	default:
		return diag.NewErrorDiagnostic("Kakiyo API unreachable", fmt.Sprintf(
			"The request to %s %s failed before Kakiyo answered: %v%s\n\n"+
				"Check the network and the provider's base_url, then run Terraform again.", action, subject, err, attemptsLine(err)))
	}
}

// mayHaveCreatedDiagnostic is the error for a POST /agents whose outcome is
// unknown: Kakiyo received it, but answered with a server error or not at
// all. Retrying could create a second paid agent, so the provider did not.
func mayHaveCreatedDiagnostic(err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Kakiyo may have created an agent", fmt.Sprintf(
		"The request to create an agent reached Kakiyo, but Kakiyo answered with a server error or the answer was "+
			"lost:\n\n%s\n\n"+
			"Kakiyo may have created the agent anyway. The provider did not retry, so as not to create (and pay for) a "+
			"second one, and saved nothing in the state.\n\n"+
			"Look for a new agent in status \"setup_needed\" (the kakiyo_agents data source with "+
			"status = \"setup_needed\", or the Kakiyo dashboard). If there is one, adopt it: "+
			"terraform import 'kakiyo_agent.<name>' <id> (or an import block), then apply. Otherwise, apply again.",
		describe(err)))
}

// agentNotEndedDiagnostic explains that an agent cannot be deleted because
// it is not ended. With err nil it is the plan-time refusal, from the status
// in state; otherwise it is Kakiyo's invalid_status answer to DELETE, and
// currentStatus is the status Kakiyo gave.
func agentNotEndedDiagnostic(agentID, currentStatus string, err error) diag.Diagnostic {
	status := currentStatus
	if status == "" {
		status = "unknown"
	}
	var b strings.Builder
	if err == nil {
		fmt.Fprintf(&b, "Terraform will not delete agent %q: its status is %q (as of the last refresh). ", agentID, status)
		b.WriteString("Kakiyo deletes an agent only when its status is \"ended\", so the plan stops here, ")
		b.WriteString("before anything at all is destroyed.\n\n")
		b.WriteString("Nothing was deleted; the agent stays in Kakiyo and in the Terraform state. ")
		b.WriteString("(If the agent has ended since the last refresh, plan again without -refresh=false.)\n\n")
	} else {
		fmt.Fprintf(&b, "Kakiyo refused to delete agent %q because its status is %q. ", agentID, status)
		b.WriteString("Kakiyo deletes an agent only when its status is \"ended\".\n\n")
		b.WriteString("The agent was not deleted and stays in the Terraform state.\n\n")
	}
	b.WriteString(notEndedRemedies)
	if err != nil {
		b.WriteString("\n\nKakiyo's answer:\n")
		b.WriteString(describe(err))
	}
	return diag.NewErrorDiagnostic("Kakiyo agent not ended", b.String())
}

const notEndedRemedies = `To go on, do one of these:
  1. End the agent in Kakiyo, then run the destroy again. No public API call
     ends an agent: it ends outside Terraform (in the Kakiyo dashboard, or by
     Kakiyo support).
  2. Keep the agent and stop managing it with Terraform:
     - with Terraform 1.7 or later, replace its resource block with
         removed {
           from = kakiyo_agent.<name>
           lifecycle {
             destroy = false
           }
         }
       and apply;
     - or run: terraform state rm 'kakiyo_agent.<name>'`

// deletionProtectedDiagnostic refuses to delete an agent whose
// deletion_protection is on. No API call is made for it.
func deletionProtectedDiagnostic(agentID string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Kakiyo agent deletion protection enabled", fmt.Sprintf(
		"Terraform will not delete agent %q because its deletion_protection is true. Nothing was deleted and "+
			"Kakiyo was not called.\n\n"+
			"To delete it: set deletion_protection = false on the resource, apply, then destroy (Kakiyo also requires "+
			"the agent to be ended). To keep the agent and stop managing it, use a removed block with "+
			"lifecycle { destroy = false } (Terraform 1.7 or later) or terraform state rm.", agentID))
}

// createIncompleteDiagnostic says that an agent exists but the rest of its
// creation failed, so that nobody is surprised by a tainted, paid agent.
func createIncompleteDiagnostic(agentID, step string, err error) diag.Diagnostic {
	inner := apiErrorDiagnostic(step, agentID, err)
	return diag.NewErrorDiagnostic("Kakiyo agent created but not configured", fmt.Sprintf(
		"Kakiyo created agent %q, but the next step failed: %s\n\n%s\n\n"+
			"The agent exists in Kakiyo and is saved in the Terraform state, marked tainted. "+
			"To keep this agent and apply its settings again, run: terraform untaint 'kakiyo_agent.<name>', then apply. "+
			"Otherwise the next apply replaces it, which needs the agent to be ended first (Kakiyo deletes only ended agents).",
		agentID, inner.Summary(), inner.Detail()))
}

func describe(err error) string {
	var apiErr *kakiyo.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Describe() + attemptsLine(err)
	}
	return err.Error()
}

// attemptsLine says how many attempts a retried call made, if more than one.
func attemptsLine(err error) string {
	var re *kakiyo.RetryError
	if !errors.As(err, &re) {
		return ""
	}
	return fmt.Sprintf("\nAttempts: %d (%s; %s spent waiting between them; see the provider's max_retries and max_retry_time)",
		re.Attempts, re.Reason, re.Waited.Round(time.Millisecond))
}

func orEmpty(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}
