package kakiyo

import (
	"encoding/json"
	"errors"
	"strings"
)

// Secrets stay out of errors. Kakiyo, or a proxy in front of it, may quote
// a request in its answer (a validation message that repeats the body, an
// HTML error page that shows it): such an answer becomes an error, a
// diagnostic and a log line. Every error and body snippet of this client is
// scrubbed of the API key and of every secret the client has sent (a
// request body's values under a key that names a password, a secret or a
// token).

// minSecretLength is the shortest value scrubbed: a shorter one would blank
// out ordinary words.
const minSecretLength = 4

// rememberSecrets records the secrets of a request body before it is sent.
func (c *Client) rememberSecrets(payload []byte) {
	if len(payload) == 0 {
		return
	}
	var v any
	if json.Unmarshal(payload, &v) != nil {
		return
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case string:
			k := strings.ToLower(key)
			if len(x) >= minSecretLength && (strings.Contains(k, "password") || strings.Contains(k, "secret") ||
				strings.Contains(k, "token")) {
				c.secrets.Store(x, struct{}{})
			}
		}
	}
	walk("", v)
}

// scrub replaces in s the API key and every secret this client has sent.
func (c *Client) scrub(s string) string {
	if s == "" {
		return s
	}
	if c.apiKey != "" {
		s = strings.ReplaceAll(s, c.apiKey, "(the API key, redacted)")
	}
	c.secrets.Range(func(k, _ any) bool {
		s = strings.ReplaceAll(s, k.(string), "(a secret, redacted)") //nolint:forcetypeassert // only strings are stored
		return true
	})
	return s
}

// snippet is the package's snippet, scrubbed.
func (c *Client) snippet(body []byte) string { return c.scrub(snippet(body)) }

// scrubError scrubs, in place, what the errors of err's chain quote of an
// answer.
func (c *Client) scrubError(err error) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		apiErr.Body, apiErr.Message = c.scrub(apiErr.Body), c.scrub(apiErr.Message)
		apiErr.Code, apiErr.CurrentStatus = c.scrub(apiErr.Code), c.scrub(apiErr.CurrentStatus)
	}
	var decErr *DecodeError
	if errors.As(err, &decErr) {
		decErr.Body = c.scrub(decErr.Body)
	}
}
