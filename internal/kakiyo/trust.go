package kakiyo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Whose answer is it?
//
// A proxy, a wrong base URL or a captive portal answers too, and an answer
// that is not Kakiyo's must never make the provider forget an object or
// store a value that is not the object's. The rules:
//
//   - A 2xx answer must be JSON (or empty, where no value is expected) and
//     must not be Kakiyo's error format ({"error": "...", ...}); otherwise it
//     is a *DecodeError, never a value to store.
//   - A redirect is never followed (see checkRedirect): it is a
//     *RedirectError.
//   - Only Kakiyo may say that an object is gone: a 404 with Kakiyo's error
//     format and the not_found code (IsNotFound), through a base URL that an
//     answer of this client has shown to be the Kakiyo API (Gone). A wrong
//     base URL answers 404 for everything, in Kakiyo's format too when it is
//     on Kakiyo's host without /v1.

// checkAnswer says what is wrong with a 2xx body, if anything: it must be
// JSON (or empty when no value is expected), and not Kakiyo's error format.
func checkAnswer(data []byte, wantValue bool) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		if wantValue {
			return errors.New("the answer is empty")
		}
		return nil
	}
	if !json.Valid(trimmed) {
		return errors.New("the answer is not JSON")
	}
	if code, msg, ok := errorEnvelope(trimmed); ok {
		return fmt.Errorf("the answer is an error in Kakiyo's format (error %q: %s), not the object", code, msg)
	}
	return nil
}

// errorEnvelope reports whether data is Kakiyo's error format: a JSON object
// whose "error" is a non-empty string.
func errorEnvelope(data []byte) (code, message string, ok bool) {
	if len(data) == 0 || data[0] != '{' {
		return "", "", false
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return "", "", false
	}
	code = stringField(fields, "error")
	return code, stringField(fields, "message"), code != ""
}

// RedirectError is a 3xx answer. The client follows no redirect (Kakiyo
// documents none): the request, its body and the key go nowhere else.
type RedirectError struct {
	Method, Path string
	StatusCode   int
	// Location is where the answer pointed, without user info, query or
	// fragment.
	Location string
}

func newRedirectError(method, path string, status int, h http.Header) *RedirectError {
	return &RedirectError{Method: method, Path: path, StatusCode: status, Location: RedactURL(h.Get("Location"))}
}

func (e *RedirectError) Error() string {
	to := e.Location
	if to == "" {
		to = "(no Location header)"
	}
	return fmt.Sprintf("kakiyo API %s %s: HTTP %d redirect to %s, not followed: Kakiyo's API does not redirect, "+
		"so base_url may point at a proxy, a web page or an old address", e.Method, e.Path, e.StatusCode, to)
}

// RedactURL returns raw without user info, query and fragment, for
// messages: a URL may carry a password or a token there.
func RedactURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme == "" && u.Host == "" && u.Path == "") || u.Opaque != "" {
		return "(a URL that cannot be shown)"
	}
	if u.User == nil && strings.Contains(u.String(), "@") {
		// user:password@ that url.Parse did not take for user info (no "//"):
		// nothing of it is shown.
		return "(a URL that cannot be shown)"
	}
	u.User, u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = nil, "", "", "", false
	return u.String()
}

// NotKakiyoError says that a not_found answer cannot be taken as Kakiyo's:
// nothing this client sent through base URL has been answered as only the
// Kakiyo API answers, and GET /verify, asked to make sure, failed too.
type NotKakiyoError struct {
	BaseURL  string // without user info or query
	NotFound error  // the not_found answer
	Verify   error  // why GET /verify did not prove base URL
}

func (e *NotKakiyoError) Error() string {
	return fmt.Sprintf("%v; but base URL %s does not answer as the Kakiyo API (GET /verify: %v), so that answer "+
		"cannot be taken as Kakiyo saying the object is gone", e.NotFound, e.BaseURL, e.Verify)
}

func (e *NotKakiyoError) Unwrap() error { return e.NotFound }

// verifier serializes the GET /verify of Gone: one at a time, none once the
// base URL is trusted, and none again once an answer to it showed that base
// URL is not the Kakiyo API (failed).
type verifier struct {
	mu     sync.Mutex
	failed error
}

var epVerify = endpoint{method: "GET", template: "/verify"}

// Verify calls GET /verify: Kakiyo's documented check of the API key, which
// answers {"status": "success", "message": "API key is valid"}.
func (c *Client) Verify(ctx context.Context) error {
	var ans struct {
		Status *string `json:"status"`
	}
	if err := c.do(ctx, epVerify, epVerify.template, nil, &ans); err != nil {
		return err
	}
	if ans.Status == nil || !strings.EqualFold(*ans.Status, "success") {
		return fmt.Errorf("kakiyo API GET /verify: the answer is not Kakiyo's (no status \"success\")")
	}
	c.trust()
	return nil
}

// Gone reports whether err, the answer to a request about one object, is
// Kakiyo saying that the object does not exist: Kakiyo's not_found (see
// IsNotFound) through a base URL that is the Kakiyo API. The base URL is
// taken as such once any answer of this client was one only the API gives
// (a 2xx JSON answer or a list page); when none was yet, one GET /verify
// decides, once per client.
//
// It returns (true, nil) when the object is gone, (false, nil) when err
// says nothing of the kind (the caller reports err), and (false, *NotKakiyoError)
// when a not_found came from something that is not the Kakiyo API.
func (c *Client) Gone(ctx context.Context, err error) (bool, error) {
	if !IsNotFound(err) {
		return false, nil
	}
	if c.trusted.Load() {
		return true, nil
	}
	c.verify.mu.Lock()
	defer c.verify.mu.Unlock()
	if c.trusted.Load() {
		return true, nil
	}
	verr := c.verify.failed
	if verr == nil {
		verr = c.Verify(ctx)
		if verr == nil {
			return true, nil
		}
		var te *TransportError
		if !errors.As(verr, &te) && ctx.Err() == nil {
			c.verify.failed = verr // an answer, not a lost connection: it will not change within this run
		}
	}
	return false, &NotKakiyoError{BaseURL: c.base.String(), NotFound: err, Verify: verr}
}

// Trusted reports whether an answer of this client has shown that its base
// URL is the Kakiyo API (see Gone).
func (c *Client) Trusted() bool { return c.trusted.Load() }

// ListMissingError is a listing that answered 404. Every Kakiyo team has
// its lists, empty or not: a 404 there means that base URL is not the
// Kakiyo API (a path prefix is missing, such as /v1), never an empty team.
// It is deliberately not a not_found (IsNotFound is false for it).
type ListMissingError struct {
	Endpoint string // e.g. "GET /agents"
	BaseURL  string
	Answer   *APIError
}

func (e *ListMissingError) Error() string {
	return fmt.Sprintf("kakiyo API %s answered HTTP 404 (%s): Kakiyo always has this list, so base URL %s is not "+
		"the Kakiyo API's root (for example %s)", e.Endpoint, e.Answer.summary(), e.BaseURL, DefaultBaseURL)
}
