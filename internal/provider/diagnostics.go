package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// Diagnostics are built here, and only here, so that every resource speaks
// the same way: a short, specific summary; a detail that says what happened
// (object, id, HTTP status, API code, message, current status), why, and
// what the user can do next. The shared helpers below know no Kakiyo object:
// they take the object's noun and, where it differs, its remedies; each
// object's own diagnostics live in its file (agent_diagnostics.go, ...). The
// API key is never part of an error, so it can never reach a diagnostic.

// object names what a diagnostic is about: a kind of Kakiyo object ("agent",
// "webhook") and, once known, its id.
type object struct {
	noun string
	id   string
}

// subject is the object as a sentence names it: a Kakiyo agent, or Kakiyo
// agent "abc".
func (o object) subject() string {
	if o.id == "" {
		return "a Kakiyo " + o.noun
	}
	return fmt.Sprintf("Kakiyo %s %q", o.noun, o.id)
}

// apiErrorDiagnostic turns a failed client call into a diagnostic. action is
// a verb phrase such as "delete" or "read".
func apiErrorDiagnostic(obj object, action string, err error) diag.Diagnostic {
	subject := obj.subject()
	var apiErr *kakiyo.APIError
	var decErr *kakiyo.DecodeError
	var notKakiyo *kakiyo.NotKakiyoError
	var listMissing *kakiyo.ListMissingError
	var redirect *kakiyo.RedirectError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return diag.NewErrorDiagnostic("Kakiyo operation timed out", fmt.Sprintf(
			"The request to %s %s did not complete in time: %v\n\n"+
				"The operation's time limit (the resource's timeouts attribute) ran out, possibly while waiting for "+
				"Kakiyo's rate limit or between retries. Run Terraform again, or raise the limit in the timeouts attribute.",
			action, subject, err))
	case errors.Is(err, context.Canceled):
		return diag.NewErrorDiagnostic("Kakiyo API request interrupted", fmt.Sprintf(
			"The request to %s %s was interrupted: %v\n\nRun Terraform again.", action, subject, err))
	case errors.As(err, &notKakiyo):
		return diag.NewErrorDiagnostic("Kakiyo base_url does not answer as the Kakiyo API", fmt.Sprintf(
			"Asked to %s %s, %s answered 404 not_found, but that address does not answer as the Kakiyo API "+
				"(its GET /verify: %v), so the answer cannot be taken as Kakiyo saying that the %s is gone.\n\n"+
				"Nothing was removed from the Terraform state. Check the provider's base_url (or %s): it must be "+
				"the API root, such as %s; a missing path prefix such as /v1 gives this.",
			action, subject, notKakiyo.BaseURL, notKakiyo.Verify, obj.noun, EnvBaseURL, kakiyo.DefaultBaseURL))
	case errors.As(err, &listMissing):
		return diag.NewErrorDiagnostic("Kakiyo base_url does not answer as the Kakiyo API", fmt.Sprintf(
			"Asked to %s %s, the listing %s answered HTTP 404. Kakiyo always has that list, empty or not, so "+
				"%s is not the Kakiyo API's root.\n\n%s\n\nNothing was removed from the Terraform state. Check "+
				"the provider's base_url (or %s): it must be the API root, such as %s.",
			action, subject, listMissing.Endpoint, listMissing.BaseURL, listMissing.Answer.Describe(), EnvBaseURL,
			kakiyo.DefaultBaseURL))
	case errors.As(err, &redirect):
		return diag.NewErrorDiagnostic("Kakiyo API answered with a redirect", fmt.Sprintf(
			"Asked to %s %s, the API answered HTTP %d, a redirect to %s. The provider follows no redirect: "+
				"Kakiyo's API does not redirect, and following one would send the request (its key, a password or "+
				"a secret in its body) elsewhere. Nothing was sent there.\n\n"+
				"Check the provider's base_url (or %s): it must be the API root, such as %s, not a proxy, a web "+
				"page or an old address.", action, subject, redirect.StatusCode, orEmpty(redirect.Location), EnvBaseURL,
			kakiyo.DefaultBaseURL))
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && !kakiyo.IsNotFound(err):
		return diag.NewErrorDiagnostic("Unexpected 404 from the Kakiyo API", fmt.Sprintf(
			"Asked to %s %s, the API answered HTTP 404, but not in Kakiyo's format for a missing %s (error "+
				"\"not_found\"): a proxy or a wrong base_url answers so.\n\n%s\n\n"+
				"Nothing was removed from the Terraform state. Check the provider's base_url (or %s): it must be the "+
				"API root, such as %s.", action, subject, obj.noun, describe(err), EnvBaseURL, kakiyo.DefaultBaseURL))
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
		return diag.NewErrorDiagnostic("No access to Kakiyo "+obj.noun, fmt.Sprintf(
			"Kakiyo refused to %s %s: the API key's team has no access to this %s.\n\n%s\n\n"+
				"The %s belongs to another team, or the key lacks permission. Use an API key of the team that "+
				"owns the %s, or check the %s id.", action, subject, obj.noun, describe(err), obj.noun, obj.noun, obj.noun))
	case kakiyo.IsValidation(err):
		return diag.NewErrorDiagnostic("Kakiyo rejected the "+obj.noun+" settings", fmt.Sprintf(
			"Kakiyo rejected the request to %s %s as invalid.\n\n%s\n\n"+
				"Correct the setting the message names and apply again.", action, subject, describe(err)))
	case errors.As(err, &apiErr):
		return diag.NewErrorDiagnostic("Kakiyo API error", fmt.Sprintf(
			"Kakiyo answered with an error when asked to %s %s.\n\n%s\n\n"+
				"If the error is temporary (HTTP 429 or 5xx), run Terraform again; otherwise contact Kakiyo support "+
				"with the details above.", action, subject, describe(err)))
	case errors.As(err, &decErr):
		status := "a 2xx status"
		if decErr.StatusCode != 0 {
			status = fmt.Sprintf("HTTP %d", decErr.StatusCode)
		}
		return diag.NewErrorDiagnostic("Unexpected response from Kakiyo", fmt.Sprintf(
			"Kakiyo answered %s when asked to %s %s, but the response is not what was asked for: %v\n\n"+
				"Response body: %s\n\nNothing of it was stored. Check that base_url points at the Kakiyo API "+
				"(for example %s).",
			status, action, subject, decErr.Err, orEmpty(decErr.Body), kakiyo.DefaultBaseURL))
	default:
		return diag.NewErrorDiagnostic("Kakiyo API unreachable", fmt.Sprintf(
			"The request to %s %s failed before Kakiyo answered: %v%s\n\n"+
				"Check the network and the provider's base_url, then run Terraform again.", action, subject, err, attemptsLine(err)))
	}
}

// mayHaveCreatedDiagnostic is the error for a create whose outcome is
// unknown: Kakiyo received it, but answered with a server error or not at
// all. Retrying could create a second (paid) object, so the provider did
// not. findAndAdopt says how to find the object and adopt it.
func mayHaveCreatedDiagnostic(noun string, err error, findAndAdopt string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Kakiyo may have created "+withArticle(noun), fmt.Sprintf(
		"The request to create %s reached Kakiyo, but Kakiyo answered with a server error, with an answer that "+
			"is not the new object, or the answer was lost:\n\n%s\n\n"+
			"Kakiyo may have created the %s anyway. The provider did not retry, so as not to create (and pay for) a "+
			"second one, and saved nothing in the state.\n\n%s",
		withArticle(noun), describe(err), noun, findAndAdopt))
}

// deletionProtectedDiagnostic refuses to delete an object whose
// deletion_protection is on. No API call is made for it. alsoNeeded says
// what else Kakiyo requires before a delete, if anything.
func deletionProtectedDiagnostic(obj object, alsoNeeded string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Kakiyo "+obj.noun+" deletion protection enabled", fmt.Sprintf(
		"Terraform will not delete %s %q because its deletion_protection is true. Nothing was deleted and "+
			"Kakiyo was not called.\n\n"+
			"To delete it: set deletion_protection = false on the resource, apply, then destroy%s. To keep the %s "+
			"and stop managing it, use a removed block with lifecycle { destroy = false } (Terraform 1.7 or later) "+
			"or terraform state rm.", obj.noun, obj.id, alsoNeeded, obj.noun))
}

// createIncompleteDiagnostic says that an object exists but the rest of its
// creation failed, so that nobody is surprised by a tainted, paid object.
// replaceNote says what replacing it would take.
func createIncompleteDiagnostic(obj object, resourceType, step string, err error, replaceNote string) diag.Diagnostic {
	inner := apiErrorDiagnostic(obj, step, err)
	return diag.NewErrorDiagnostic("Kakiyo "+obj.noun+" created but not configured", fmt.Sprintf(
		"Kakiyo created %s %q, but the next step failed: %s\n\n%s\n\n"+
			"The %s exists in Kakiyo and is saved in the Terraform state, marked tainted. "+
			"To keep this %s and apply its settings again, run: terraform untaint '%s.<name>', then apply. "+
			"Otherwise the next apply replaces it%s.",
		obj.noun, obj.id, inner.Summary(), inner.Detail(), obj.noun, obj.noun, resourceType, replaceNote))
}

// exportFailedDiagnostic: the record that export_dir asks for could not be
// written, so the object was not deleted.
func exportFailedDiagnostic(obj object, dir string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Kakiyo "+obj.noun+" not deleted: export failed", fmt.Sprintf(
		"Terraform did not delete %s: the provider's export_dir asks for a record of it before it is deleted, and "+
			"the record could not be written to %q: %v\n\n"+
			"Nothing was sent to Kakiyo; the %s stays in Kakiyo and in the Terraform state. Make the directory "+
			"writable (or point export_dir, or %s, at one that is), then run the destroy again.",
		obj.subject(), dir, err, obj.noun, EnvExportDir))
}

// exportUnfinishedDiagnostic: the object is gone, its record was written
// before that, but marking the record with the outcome failed.
func exportUnfinishedDiagnostic(obj object, path, result string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Kakiyo "+obj.noun+" deleted; its export not completed", fmt.Sprintf(
		"%s was deleted, and its record was written before that to %s, but marking it %q failed: %v\n\n"+
			"The record stays, with result \"pending\".", obj.subject(), path, result, err))
}

// withNote adds a paragraph to the detail of d.
func withNote(d diag.Diagnostic, note string) diag.Diagnostic {
	if d.Severity() == diag.SeverityWarning {
		return diag.NewWarningDiagnostic(d.Summary(), d.Detail()+"\n\n"+note)
	}
	return diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\n"+note)
}

// withArticle puts "a" or "an" before noun.
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
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

// diagsOf makes diagnostics of d, for APIs that take diag.Diagnostics.
func diagsOf(d ...diag.Diagnostic) diag.Diagnostics { return d }
