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
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultBaseURL is Kakiyo's production API root.
const DefaultBaseURL = "https://api.kakiyo.com/v1"

// maxResponseBytes bounds how much of a response body is read. Ten thousand
// agents are a few megabytes; anything far past that is not a Kakiyo answer.
const maxResponseBytes = 32 << 20

// Defaults for Config's retry, timeout and rate settings.
const (
	DefaultMaxRetries        = 5
	DefaultRetryWaitMin      = 1 * time.Second
	DefaultRetryWaitMax      = 60 * time.Second
	DefaultMaxRetryTime      = 5 * time.Minute
	DefaultRequestTimeout    = 60 * time.Second
	DefaultRequestsPerMinute = 60 // Kakiyo's documented limit, per endpoint
)

// Config configures a Client. Zero values take the defaults above; use a
// negative MaxRetries or RequestsPerMinute for none.
type Config struct {
	// BaseURL is the API root, e.g. https://api.kakiyo.com/v1. A path prefix is
	// kept: endpoint paths are appended to it.
	BaseURL string
	// APIKey is sent as a Bearer token. It is never logged nor put in errors.
	APIKey string
	// UserAgent is sent on every request.
	UserAgent string
	// HTTPClient is used for requests; nil means a default client.
	HTTPClient *http.Client
	// OnResponse, when set, is told about every attempt once it has an answer
	// or has failed. It receives no header and no body, so no credential.
	OnResponse func(ctx context.Context, info RequestInfo)

	MaxRetries     int           // retries after the first attempt
	RetryWaitMin   time.Duration // first backoff wait
	RetryWaitMax   time.Duration // cap of each wait
	MaxRetryTime   time.Duration // cap of all waits of one call together
	RequestTimeout time.Duration // per attempt
	// RequestsPerMinute caps every endpoint's client-side limit, which is
	// Kakiyo's documented limit for that endpoint (60 unless documented
	// otherwise).
	RequestsPerMinute int

	// Clock replaces the real clock (tests).
	Clock Clock
	// Jitter replaces the random part of backoff waits (tests).
	Jitter func(time.Duration) time.Duration
}

// RequestInfo describes one HTTP attempt, for logging.
type RequestInfo struct {
	Method     string
	Path       string
	Endpoint   string // the endpoint template, e.g. "GET /agents/{id}"
	Attempt    int
	StatusCode int // 0 when no response arrived
	Duration   time.Duration
	Err        error         // transport error, if any
	RetryIn    time.Duration // the wait before the next attempt; 0 if none follows
	Throttled  time.Duration // time spent in the client-side rate limiter
}

// Client calls the Kakiyo API. It is safe for concurrent use.
type Client struct {
	base       *url.URL
	apiKey     string
	userAgent  string
	httpClient *http.Client
	onResponse func(context.Context, RequestInfo)
	cfg        Config
	clock      Clock
	jitter     func(time.Duration) time.Duration
	limiter    *limiter
	// refused holds the endpoints that answered 405 Method Not Allowed (see
	// doEither).
	refused sync.Map
	// trusted is set once an answer proved that base URL is the Kakiyo API
	// (see Gone); verify makes that proof with one GET /verify when needed.
	trusted atomic.Bool
	verify  verifier
	// secrets holds the secrets this client sent, to scrub from errors
	// (see redact.go).
	secrets sync.Map
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
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.RetryWaitMin, DefaultRetryWaitMin)
	def(&cfg.RetryWaitMax, DefaultRetryWaitMax)
	def(&cfg.MaxRetryTime, DefaultMaxRetryTime)
	def(&cfg.RequestTimeout, DefaultRequestTimeout)
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	switch {
	case cfg.RequestsPerMinute == 0:
		cfg.RequestsPerMinute = DefaultRequestsPerMinute
	case cfg.RequestsPerMinute < 0:
		cfg.RequestsPerMinute = 0
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		*hc = *cfg.HTTPClient // a copy: its redirect policy is set below
	} else {
		// Terraform runs up to -parallelism operations at once; the default
		// transport would keep only 2 idle connections and reconnect the rest.
		tr := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's own type
		tr.MaxIdleConnsPerHost = 32
		hc.Transport = tr
	}
	hc.CheckRedirect = checkRedirect
	c := &Client{
		base:       base,
		apiKey:     cfg.APIKey,
		userAgent:  cfg.UserAgent,
		httpClient: hc,
		onResponse: cfg.OnResponse,
		cfg:        cfg,
		clock:      cfg.Clock,
		jitter:     cfg.Jitter,
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.jitter == nil {
		c.jitter = randomJitter
	}
	c.limiter = newLimiter(c.clock)
	return c, nil
}

// ParseBaseURL checks that raw is an absolute https URL (or http for a
// loopback host, where local test servers live) without query or fragment,
// and returns it without a trailing slash.
func ParseBaseURL(raw string) (*url.URL, error) {
	// Messages show the URL without user info or query (RedactURL): either
	// may hold a password or a token.
	shown := RedactURL(raw)
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("base URL %s is not a valid URL", shown)
	}
	if u.User != nil {
		return nil, fmt.Errorf("base URL %s must not embed credentials (user:password@); set api_key instead", shown)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("base URL %s must start with https:// (or http:// for a local test server)", shown)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base URL %s has no host", shown)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("base URL %s uses http://, which would send the API key in clear text across the "+
			"network; use https:// (http:// is accepted only for localhost, 127.0.0.0/8 and [::1], where local "+
			"test servers run)", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, fmt.Errorf("base URL %s must not have a query or a fragment", shown)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether host (a name or an IP address, without port)
// is this machine: localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// checkRedirect follows no redirect: Kakiyo documents none, and following
// one would send the request's body (a LinkedIn password, a webhook secret)
// again, to wherever the answer points. The 3xx answer itself is returned
// and becomes a *RedirectError (see attempt).
func checkRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// endpoint is one operation of the Kakiyo API, declared once by the client
// method that calls it (in the file of its object). Its template, such as
// "GET /webhooks/{id}", names it to the rate limiter and in the logs; its
// fields state what the request core must know of it.
type endpoint struct {
	method   string
	template string // path template, e.g. /agents/{id}
	// perMinute is Kakiyo's documented limit for this endpoint; 0 means the
	// general one, DefaultRequestsPerMinute. Config.RequestsPerMinute caps it.
	perMinute int
	// creates marks a request that creates a (billed) object and carries no
	// idempotency key: once Kakiyo may have received it, it is never
	// repeated, and a failure says the outcome is unknown (MayHaveCreated).
	creates bool
}

func (e endpoint) String() string { return e.method + " " + e.template }

// do sends one request to ep and decodes the answer: rate limit, attempt,
// retry, decode. path is the request's path relative to the base URL,
// already escaped, with its query if any. A 2xx JSON answer is decoded into
// out (when out is not nil); non-2xx answers become *APIError.
func (c *Client) do(ctx context.Context, ep endpoint, path string, in, out any) error {
	err := c.send(ctx, ep, path, in, out)
	if err != nil && ep.creates && mayHaveReached(err) {
		return &UnknownOutcomeError{Endpoint: ep.String(), Err: err}
	}
	return err
}

// notTheObject is the error of a create whose 2xx answer is not the new
// object (no id, another shape): Kakiyo handled the request, so the object
// may well exist; it is a lost answer (MayHaveCreated), which the provider
// settles like any other.
// trust records that an answer was checked as one only the Kakiyo API gives
// (see Gone): an object of the id asked for, a new object with an id, a
// list page under its key, GET /verify's success.
func (c *Client) trust() { c.trusted.Store(true) }

func (c *Client) notTheObject(ep endpoint, raw []byte, why error) error {
	return &UnknownOutcomeError{Endpoint: ep.String(),
		Err: &DecodeError{Method: ep.method, Path: ep.template, Body: c.snippet(raw), Err: why}}
}

// doEither calls ep, or alt when ep answered 405 Method Not Allowed, for an
// operation whose verb Kakiyo does not document (e.g. PUT or PATCH). Once ep
// was refused, this client goes straight to alt.
func (c *Client) doEither(ctx context.Context, ep, alt endpoint, path string, in, out any) error {
	if _, refused := c.refused.Load(ep.String()); !refused {
		err := c.do(ctx, ep, path, in, out)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusMethodNotAllowed {
			return err
		}
		c.refused.Store(ep.String(), true)
	}
	return c.do(ctx, alt, path, in, out)
}

func (c *Client) send(ctx context.Context, ep endpoint, path string, in, out any) error {
	method := ep.method
	var payload []byte
	if in != nil {
		var err error
		if payload, err = json.Marshal(in); err != nil {
			return fmt.Errorf("kakiyo: encoding %s %s request: %w", method, path, err)
		}
		c.rememberSecrets(payload)
	}
	perMinute := c.perMinute(ep)
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		throttled, err := c.limiter.wait(ctx, ep.String(), perMinute)
		if err != nil {
			return fmt.Errorf("kakiyo API %s %s: waiting for the client-side rate limit: %w", method, path, err)
		}
		start := c.clock.Now()
		stream, _ := out.(streamed)
		status, header, data, err := c.attempt(ctx, method, path, payload, stream)
		info := RequestInfo{Method: method, Path: path, Endpoint: ep.String(), Attempt: attempt, StatusCode: status,
			Err: err, Throttled: throttled, Duration: c.clock.Now().Sub(start)}
		switch {
		case err != nil:
		case status >= 300 && status <= 399:
			err = newRedirectError(method, path, status, header)
		case status < 200 || status > 299:
			apiErr := newAPIError(method, path, status, data)
			c.scrubError(apiErr)
			err = apiErr
		}
		if err == nil {
			c.report(ctx, info)
			if stream != nil {
				return nil // list.each trusts a page it recognizes
			}
			if err := checkAnswer(data, out != nil); err != nil {
				return &DecodeError{Method: method, Path: path, StatusCode: status, Body: c.snippet(data),
					Err: errors.New(c.scrub(err.Error()))}
			}
			if out != nil {
				if err := json.Unmarshal(data, out); err != nil {
					return &DecodeError{Method: method, Path: path, StatusCode: status, Body: c.snippet(data), Err: err}
				}
			}
			// Trust in base URL comes only from answers checked as the
			// object asked for (the method calls trust), never from any JSON.
			return nil
		}

		// Decide, then report once: retry after wait, or stop for reason.
		reason, wait := c.nextStep(ctx, !ep.creates, attempt, waited, status, header, data, err)
		if reason == "" {
			info.RetryIn = wait
		}
		c.report(ctx, info)
		if ctx.Err() != nil {
			// Both stay inspectable: the interruption, and the last outcome
			// (a timed-out create may still have created the object).
			return fmt.Errorf("kakiyo API %s %s: interrupted after %d attempts (%w); last outcome: %w",
				method, path, attempt, ctx.Err(), err)
		}
		if reason != "" {
			return c.giveUp(method, path, attempt, waited, reason, err)
		}
		if serr := c.clock.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("kakiyo API %s %s: interrupted after %d attempts while waiting to retry (%w); last outcome: %w",
				method, path, attempt, serr, err)
		}
		waited += wait
	}
}

// perMinute is the client-side limit of ep: Kakiyo's documented limit for
// it, capped by Config.RequestsPerMinute; 0 when the limiter is off.
func (c *Client) perMinute(ep endpoint) int {
	if c.cfg.RequestsPerMinute <= 0 {
		return 0
	}
	n := ep.perMinute
	if n <= 0 {
		n = DefaultRequestsPerMinute
	}
	return min(n, c.cfg.RequestsPerMinute)
}

// nextStep decides what follows a failed attempt: a wait before the next
// one (reason empty), or the reason to stop.
func (c *Client) nextStep(ctx context.Context, idempotent bool, attempt int, waited time.Duration,
	status int, header http.Header, data []byte, err error) (reason string, wait time.Duration) {
	switch {
	case ctx.Err() != nil:
		return "interrupted", 0
	case !retryable(idempotent, status, err):
		return "not retryable", 0
	case attempt > c.cfg.MaxRetries:
		return fmt.Sprintf("%d retries exhausted", c.cfg.MaxRetries), 0
	}
	wait = backoff(attempt, c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, c.jitter)
	if d, ok := serverWait(header, data, c.clock.Now()); ok {
		wait = min(d, c.cfg.RetryWaitMax)
	}
	if waited+wait > c.cfg.MaxRetryTime {
		return fmt.Sprintf("retrying would pass the %s limit on retry time", c.cfg.MaxRetryTime), 0
	}
	return "", wait
}

// giveUp returns err as is after a single attempt, or wrapped in a
// RetryError that says how many attempts were made and why they stopped.
func (c *Client) giveUp(method, path string, attempts int, waited time.Duration, reason string, err error) error {
	if attempts == 1 {
		return err
	}
	return &RetryError{Method: method, Path: path, Attempts: attempts, Waited: waited, Reason: reason, Last: err}
}

// streamed is an out value of do that decodes a 2xx answer itself, from the
// response body as it arrives, so that a large answer is never held whole
// (list pages). Its errors become a *DecodeError, or a *TransportError when
// reading the body failed.
type streamed interface {
	decodeFrom(r io.Reader) error
}

// attempt sends the request once, within the per-attempt timeout, and reads
// the whole (bounded) answer, or, for a 2xx answer and a stream, hands the
// body to the stream. A failure without an HTTP answer is a
// *TransportError that says whether the request had been written.
func (c *Client) attempt(ctx context.Context, method, path string, payload []byte, stream streamed) (int, http.Header, []byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var written atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { written.Store(true) },
	})
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(actx, method, c.base.String()+path, body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("kakiyo: building %s %s request: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	transportErr := func(err error) error {
		err = scrubURLError(err)
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			// This attempt's own limit, not the caller's deadline: not
			// wrapped, so that it is not mistaken for the operation timing out.
			err = fmt.Errorf("no answer within the %s request timeout", c.cfg.RequestTimeout)
		}
		return &TransportError{Method: method, Path: path, Written: written.Load(), Err: err}
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return 0, nil, nil, transportErr(err)
	}
	defer resp.Body.Close()
	if stream != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		body := &bodyReader{r: io.LimitReader(resp.Body, maxResponseBytes+1)}
		err := stream.decodeFrom(body)
		// What the decoder left (trailing space) is read, so that the
		// connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(body, 4096))
		switch {
		case body.err != nil:
			// The answer was cut: Kakiyo did receive the request.
			written.Store(true)
			return 0, nil, nil, transportErr(fmt.Errorf("HTTP %d, reading the answer: %w", resp.StatusCode, body.err))
		case body.n > maxResponseBytes:
			err = fmt.Errorf("the answer is larger than %d bytes", maxResponseBytes)
		}
		if err != nil {
			return resp.StatusCode, resp.Header, nil, &DecodeError{Method: method, Path: path,
				StatusCode: resp.StatusCode, Body: c.snippet(body.head), Err: err}
		}
		return resp.StatusCode, resp.Header, nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		// The answer was cut: Kakiyo did receive the request.
		written.Store(true)
		return 0, nil, nil, transportErr(fmt.Errorf("HTTP %d, reading the answer: %w", resp.StatusCode, err))
	}
	if len(data) > maxResponseBytes {
		return resp.StatusCode, resp.Header, nil, &DecodeError{Method: method, Path: path, StatusCode: resp.StatusCode,
			Body: c.snippet(data[:maxSnippet+1]), Err: fmt.Errorf("the answer is larger than %d bytes", maxResponseBytes)}
	}
	return resp.StatusCode, resp.Header, data, nil
}

// bodyReader reads a streamed answer: it counts the bytes, keeps the first
// ones for error messages, and remembers a failure to read (as opposed to
// an answer that is not the expected JSON).
type bodyReader struct {
	r    io.Reader
	n    int
	head []byte
	err  error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if room := maxSnippet + 1 - len(b.head); room > 0 {
		b.head = append(b.head, p[:min(n, room)]...)
	}
	b.n += n
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
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
	status := "HTTP 2xx"
	if e.StatusCode != 0 {
		status = fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	return fmt.Sprintf("kakiyo API %s %s: %s: the response is not the expected JSON (%v); body: %s",
		e.Method, e.Path, status, e.Err, body)
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

// unwrap decodes raw into out, first taking it out of the first of
// envelopes that the object has (e.g. {"agent": {...}} or {"data": {...}}):
// Kakiyo answers some calls with a bare object and others with one wrapped.
func unwrap(raw json.RawMessage, envelopes []string, out any) error {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(raw, &env); err != nil {
		return err
	}
	inner := raw
	for _, k := range envelopes {
		if v, ok := env[k]; ok && string(v) != "null" {
			inner = v
			break
		}
	}
	return json.Unmarshal(inner, out)
}

// sameID says what is wrong when an answer about the object want names
// another one, or none: such an answer is not the object.
func sameID(noun, want, got string) error {
	switch got {
	case want:
		return nil
	case "":
		return fmt.Errorf("the answer names no %s id; it is not the %s %q", noun, noun, want)
	}
	return fmt.Errorf("the answer is %s %q, not the %s %q that was asked for", noun, got, noun, want)
}
