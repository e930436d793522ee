package kakiyo

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// API error codes documented by Kakiyo (see the "Error format" section of the
// API reference). Endpoint-specific codes such as invalid_status are included.
const (
	CodeValidationError      = "validation_error"
	CodeMissingAPIKey        = "missing_api_key"
	CodeInvalidAPIKeyFormat  = "invalid_api_key_format"
	CodeInvalidAPIKey        = "invalid_api_key"
	CodeForbidden            = "forbidden"
	CodeSubscriptionInactive = "subscription_inactive"
	CodeNotFound             = "not_found"
	CodeRateLimitExceeded    = "rate_limit_exceeded"
	CodeInternalError        = "internal_error"
	CodeInvalidStatus        = "invalid_status"
)

// maxSnippet bounds how much of a response body an error keeps, so that a
// huge HTML error page cannot flood a diagnostic or a log line.
const maxSnippet = 512

// APIError is a non-2xx answer from the Kakiyo API.
//
// Code, Message and CurrentStatus come from the documented JSON error body
// ({"error": ..., "message": ..., "currentStatus": ...}); they are empty when
// the body was not that JSON (an HTML page from a proxy, an empty body), in
// which case Body holds a short, truncated snippet of what came back.
type APIError struct {
	Method        string
	Path          string
	StatusCode    int
	Code          string
	Message       string
	CurrentStatus string
	Body          string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kakiyo API %s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.CurrentStatus != "" {
		fmt.Fprintf(&b, " (currentStatus %q)", e.CurrentStatus)
	}
	if e.Code == "" && e.Message == "" {
		if e.Body == "" {
			b.WriteString(" with an empty body")
		} else {
			fmt.Fprintf(&b, " with an unexpected body: %s", e.Body)
		}
	}
	return b.String()
}

// Describe renders the error for a person: HTTP status, API code, message and
// current status, or the body snippet when the API did not answer in JSON.
func (e *APIError) Describe() string {
	var parts []string
	parts = append(parts, fmt.Sprintf("HTTP status: %d %s", e.StatusCode, http.StatusText(e.StatusCode)))
	if e.Code != "" {
		parts = append(parts, "API error code: "+e.Code)
	}
	if e.Message != "" {
		parts = append(parts, "API message: "+e.Message)
	}
	if e.CurrentStatus != "" {
		parts = append(parts, "Current status: "+e.CurrentStatus)
	}
	if e.Code == "" && e.Message == "" {
		if e.Body == "" {
			parts = append(parts, "Response body: (empty)")
		} else {
			parts = append(parts, "Response body (not Kakiyo's JSON error format): "+e.Body)
		}
	}
	return strings.Join(parts, "\n")
}

func asAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr, true
	}
	return nil, false
}

// IsNotFound reports whether err is Kakiyo's answer that the resource does
// not exist: HTTP 404 with Kakiyo's error format and the not_found code. An
// HTML or empty 404 (a proxy, a wrong base URL) is not. Whether the answer
// came from Kakiyo at all is for Client.Gone to tell.
func IsNotFound(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound && e.Code == CodeNotFound
}

// summary is the answer in a few words: its code and message, or that its
// body is not Kakiyo's error format.
func (e *APIError) summary() string {
	switch {
	case e.Code != "" && e.Message != "":
		return e.Code + ": " + e.Message
	case e.Code != "":
		return e.Code
	case e.Body == "":
		return "empty body"
	}
	return "a body that is not Kakiyo's error format: " + e.Body
}

// IsInvalidStatus reports whether err is Kakiyo's invalid_status refusal.
// The HTTP status of that answer is not documented (400, 409 and 422 are all
// plausible), so only the code is checked.
func IsInvalidStatus(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.Code == CodeInvalidStatus
}

// IsForbidden reports whether the key's team has no access to the resource
// (or the key lacks permission): the forbidden code, or HTTP 403 with a code
// other than subscription_inactive.
func IsForbidden(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	if e.Code == CodeForbidden {
		return true
	}
	return e.StatusCode == http.StatusForbidden && e.Code != CodeSubscriptionInactive
}

// IsSubscriptionInactive reports whether the team's subscription is inactive.
func IsSubscriptionInactive(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.Code == CodeSubscriptionInactive
}

// IsUnauthorized reports whether the API key was missing, malformed or unknown.
func IsUnauthorized(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	switch e.Code {
	case CodeMissingAPIKey, CodeInvalidAPIKeyFormat, CodeInvalidAPIKey:
		return true
	}
	return e.StatusCode == http.StatusUnauthorized
}

// IsValidation reports whether the API rejected the request's parameters.
func IsValidation(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.Code == CodeValidationError
}

// CurrentStatus returns the currentStatus the API sent with err, if any.
func CurrentStatus(err error) string {
	if e, ok := asAPIError(err); ok {
		return e.CurrentStatus
	}
	return ""
}

// snippet returns a printable, bounded excerpt of a response body.
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > maxSnippet {
		// Cut on a rune boundary.
		cut := maxSnippet
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "… (truncated)"
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// HasCode reports whether err is an answer with the API error code code.
func HasCode(err error, code string) bool {
	e, ok := asAPIError(err)
	return ok && e.Code == code
}
