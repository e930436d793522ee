// Package kakiyo is a small client for the Kakiyo public REST API.
//
// It is the only code in this module that speaks HTTP. It knows nothing of
// Terraform: the provider maps its types to schemas and its errors to
// diagnostics.
package kakiyo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is Kakiyo's production API root.
const DefaultBaseURL = "https://api.kakiyo.com/v1"

// maxResponseBytes bounds how much of a response body is read. Ten thousand
// agents are a few megabytes; anything far past that is not a Kakiyo answer.
const maxResponseBytes = 32 << 20

// Config configures a Client.
type Config struct {
	// BaseURL is the API root, e.g. https://api.kakiyo.com/v1. A path prefix is
	// kept: endpoint paths are appended to it.
	BaseURL string
	// APIKey is sent as a Bearer token. It is never logged nor put in errors.
	APIKey string
	// UserAgent is sent on every request.
	UserAgent string
	// HTTPClient is used for requests; nil means a client with a 60 s timeout.
	HTTPClient *http.Client
	// OnResponse, when set, is told about every request once it has an answer
	// or has failed. It receives no header, so no credential.
	OnResponse func(ctx context.Context, info RequestInfo)
}

// RequestInfo describes one HTTP exchange, for logging.
type RequestInfo struct {
	Method     string
	Path       string
	StatusCode int // 0 when no response arrived
	Duration   time.Duration
	Err        error // transport error, if any
}

// Client calls the Kakiyo API. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	apiKey     string
	userAgent  string
	httpClient *http.Client
	onResponse func(context.Context, RequestInfo)
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, err := ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if cfg.APIKey == "" {
		return nil, errors.New("kakiyo: an API key is required")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{
		base:       base,
		apiKey:     cfg.APIKey,
		userAgent:  cfg.UserAgent,
		httpClient: hc,
		onResponse: cfg.OnResponse,
	}, nil
}

// ParseBaseURL checks that raw is an absolute http(s) URL without query or
// fragment, and returns it without a trailing slash.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base URL %q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("base URL %q must start with https:// (or http:// for a local test server)", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q must not have a query or a fragment", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("base URL must not embed credentials; set api_key instead")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// do sends one request and decodes a 2xx JSON answer into out (when out is
// not nil). Non-2xx answers become *APIError. path is relative to the base
// URL and must already be escaped.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		buf, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("kakiyo: encoding %s %s request: %w", method, path, err)
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, body)
	if err != nil {
		return fmt.Errorf("kakiyo: building %s %s request: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}

	start := time.Now()
	resp, err := c.httpClient.Do(req)
	info := RequestInfo{Method: method, Path: path, Duration: time.Since(start)}
	if err != nil {
		info.Err = err
		c.report(ctx, info)
		return fmt.Errorf("kakiyo API %s %s: %w", method, path, scrubURLError(err))
	}
	defer resp.Body.Close()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	info.StatusCode = resp.StatusCode
	info.Duration = time.Since(start)
	c.report(ctx, info)
	if readErr != nil {
		return fmt.Errorf("kakiyo API %s %s: HTTP %d: reading the response: %w", method, path, resp.StatusCode, readErr)
	}
	if len(data) > maxResponseBytes {
		return fmt.Errorf("kakiyo API %s %s: HTTP %d: response larger than %d bytes", method, path, resp.StatusCode, maxResponseBytes)
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newAPIError(method, path, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &DecodeError{Method: method, Path: path, StatusCode: resp.StatusCode, Body: snippet(data), Err: err}
	}
	return nil
}

func (c *Client) report(ctx context.Context, info RequestInfo) {
	if c.onResponse != nil {
		c.onResponse(ctx, info)
	}
}

// scrubURLError drops the URL from a *url.Error: it is already named by the
// caller, and a base URL could carry something a user did not mean to log.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// DecodeError is a 2xx answer whose body is not the JSON that was expected.
type DecodeError struct {
	Method     string
	Path       string
	StatusCode int
	Body       string
	Err        error
}

func (e *DecodeError) Error() string {
	body := e.Body
	if body == "" {
		body = "(empty)"
	}
	return fmt.Sprintf("kakiyo API %s %s: HTTP %d: the response is not the expected JSON (%v); body: %s",
		e.Method, e.Path, e.StatusCode, e.Err, body)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// newAPIError decodes Kakiyo's error body. Fields of an unexpected type are
// ignored rather than failing the decode: the HTTP status still says enough.
func newAPIError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, Body: snippet(body)}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return e
	}
	e.Code = stringField(fields, "error")
	e.Message = stringField(fields, "message")
	e.CurrentStatus = stringField(fields, "currentStatus")
	return e
}

func stringField(fields map[string]json.RawMessage, key string) string {
	raw, ok := fields[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}
