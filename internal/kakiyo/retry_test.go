package kakiyo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock advances only when slept on: tests never really wait.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slept = append(f.slept, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

func noJitter(time.Duration) time.Duration { return 0 }

func TestBackoff(t *testing.T) {
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i, w := range want {
		if got := backoff(i+1, time.Second, 10*time.Second, noJitter); got != w {
			t.Errorf("backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	full := func(d time.Duration) time.Duration { return d }
	if got := backoff(3, time.Second, 10*time.Second, full); got != 4*time.Second {
		t.Errorf("with full jitter backoff(3) = %s, want the whole 4s", got)
	}
	for i := 0; i < 1000; i++ {
		if d := backoff(2, time.Second, time.Minute, randomJitter); d < time.Second || d > 2*time.Second {
			t.Fatalf("jittered wait %s outside [1s, 2s]", d)
		}
	}
}

func TestServerWait(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	h := func(v string) http.Header { return http.Header{"Retry-After": {v}} }
	cases := []struct {
		name   string
		header http.Header
		body   string
		want   time.Duration
		ok     bool
	}{
		{"seconds", h("7"), "", 7 * time.Second, true},
		{"HTTP date", h(now.Add(30 * time.Second).Format(http.TimeFormat)), "", 30 * time.Second, true},
		{"date in the past", h(now.Add(-time.Hour).Format(http.TimeFormat)), "", 0, true},
		{"garbage header", h("soon"), "", 0, false},
		{"resetTime RFC 3339", nil, `{"error":"rate_limit_exceeded","resetTime":"2026-01-01T12:00:42Z"}`, 42 * time.Second, true},
		{"resetTime epoch seconds", nil, fmt.Sprintf(`{"resetTime":%d}`, now.Add(9*time.Second).Unix()), 9 * time.Second, true},
		{"resetTime epoch ms", nil, fmt.Sprintf(`{"resetTime":%d}`, now.Add(3*time.Second).UnixMilli()), 3 * time.Second, true},
		{"resetTime garbage", nil, `{"resetTime":"tomorrow"}`, 0, false},
		{"header wins over body", h("2"), `{"resetTime":"2026-01-01T12:00:42Z"}`, 2 * time.Second, true},
		{"nothing", nil, `<html>`, 0, false},
	}
	for _, tc := range cases {
		got, ok := serverWait(tc.header, []byte(tc.body), now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: got %s %v, want %s %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryable(t *testing.T) {
	notWritten := &TransportError{Written: false, Err: errors.New("connection refused")}
	written := &TransportError{Written: true, Err: errors.New("connection reset")}
	cases := []struct {
		idempotent bool
		status     int
		err        error
		want       bool
	}{
		{true, 429, nil, true}, {false, 429, nil, true},
		{true, 500, nil, true}, {true, 502, nil, true}, {true, 503, nil, true}, {true, 504, nil, true},
		{false, 500, nil, false}, {false, 503, nil, false},
		{true, 400, nil, false}, {true, 401, nil, false}, {true, 403, nil, false}, {true, 404, nil, false},
		{true, 409, nil, false}, {true, 422, nil, false}, {true, 501, nil, false},
		{true, 0, notWritten, true}, {false, 0, notWritten, true},
		{true, 0, written, true}, {false, 0, written, false},
		{true, 0, errors.New("decoding"), false},
	}
	for _, tc := range cases {
		if got := retryable(tc.idempotent, tc.status, tc.err); got != tc.want {
			t.Errorf("retryable(idempotent=%v, %d, %v) = %v", tc.idempotent, tc.status, tc.err, got)
		}
	}
}

// script answers the n-th request with answers[n] (the last one repeats).
type answer struct {
	status int
	body   string
	header map[string]string
	reset  bool // drop the connection after reading the request
}

func scripted(t *testing.T, answers ...answer) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		i := int(n.Add(1)) - 1
		a := answers[min(i, len(answers)-1)]
		if a.reset {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
			return
		}
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func retryClient(t *testing.T, url string, clock Clock, tweak func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: url, APIKey: testKey, Clock: clock, Jitter: noJitter,
		RetryWaitMin: time.Second, RetryWaitMax: 30 * time.Second, RequestsPerMinute: -1}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const ok200 = `{"id":"a1","status":"running"}`

func TestRetries(t *testing.T) {
	rateLimited := answer{status: 429, body: `{"error":"rate_limit_exceeded","message":"Too many requests"}`, header: map[string]string{"Retry-After": "7"}}
	unavailable := answer{status: 503, body: `<html>Service Unavailable</html>`}
	internal := answer{status: 500, body: `{"error":"internal_error","message":"An internal error occurred"}`}
	good := answer{status: 200, body: ok200}
	cases := []struct {
		name      string
		answers   []answer
		call      func(*Client) error
		tweak     func(*Config)
		requests  int32
		waits     []time.Duration
		errHas    []string
		mayCreate bool
	}{
		{name: "429 then success follows Retry-After", answers: []answer{rateLimited, good},
			call: getA1, requests: 2, waits: []time.Duration{7 * time.Second}},
		{name: "5xx then success backs off", answers: []answer{unavailable, unavailable, good},
			call: getA1, requests: 3, waits: []time.Duration{500 * time.Millisecond, time.Second}},
		{name: "retries exhausted", answers: []answer{internal}, call: getA1,
			tweak: func(c *Config) { c.MaxRetries = 3 }, requests: 4,
			waits:  []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second},
			errHas: []string{"gave up after 4 attempts", "3 retries exhausted", "HTTP 500", "internal_error"}},
		{name: "retry time budget", answers: []answer{rateLimited}, call: getA1,
			tweak: func(c *Config) { c.MaxRetryTime = 20 * time.Second }, requests: 3,
			waits:  []time.Duration{7 * time.Second, 7 * time.Second},
			errHas: []string{"gave up after 3 attempts", "20s limit on retry time", "rate_limit_exceeded"}},
		{name: "4xx is not retried", answers: []answer{{status: 409, body: `{"error":"invalid_status","currentStatus":"running"}`}},
			call: deleteA1, requests: 1, errHas: []string{"HTTP 409"}},
		{name: "POST /agents is not retried on 5xx", answers: []answer{internal, good},
			call: create, requests: 1, errHas: []string{"HTTP 500"}, mayCreate: true},
		{name: "POST /agents is retried on 429", answers: []answer{rateLimited, good},
			call: create, requests: 2, waits: []time.Duration{7 * time.Second}},
		{name: "POST /agents is not retried when the connection drops after sending", answers: []answer{{reset: true}, good},
			call: create, requests: 1, errHas: []string{"POST /agents"}, mayCreate: true},
		{name: "DELETE is retried after a dropped connection", answers: []answer{{reset: true}, {status: 200, body: `{}`}},
			call: deleteA1, requests: 2, waits: []time.Duration{500 * time.Millisecond}},
		{name: "PUT is retried on 502", answers: []answer{{status: 502, body: "bad gateway"}, {status: 200, body: `{}`}},
			call: func(c *Client) error {
				return c.UpdateAgent(context.Background(), "a1", AgentUpdate{Settings: []Setting{{Key: SettingSkipInNetwork}}})
			}, requests: 2, waits: []time.Duration{500 * time.Millisecond}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := scripted(t, tc.answers...)
			clock := newFakeClock()
			err := tc.call(retryClient(t, srv.URL, clock, tc.tweak))
			if got := n.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			if fmt.Sprint(clock.waits()) != fmt.Sprint(tc.waits) {
				t.Errorf("waits %v, want %v", clock.waits(), tc.waits)
			}
			if len(tc.errHas) == 0 && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			for _, want := range tc.errHas {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error %v lacks %q", err, want)
				}
			}
			if MayHaveCreated(err) != tc.mayCreate {
				t.Errorf("MayHaveCreated = %v, want %v (%v)", MayHaveCreated(err), tc.mayCreate, err)
			}
		})
	}
}

func getA1(c *Client) error    { _, err := c.GetAgent(context.Background(), "a1"); return err }
func deleteA1(c *Client) error { return c.DeleteAgent(context.Background(), "a1") }
func create(c *Client) error   { _, err := c.CreateAgent(context.Background()); return err }

// A refused connection never reached Kakiyo: even POST /agents is retried.
func TestCreateRetriedWhenNothingWasSent(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	clock := newFakeClock()
	err := create(retryClient(t, url, clock, func(c *Config) { c.MaxRetries = 2 }))
	if Attempts(err) != 3 || MayHaveCreated(err) {
		t.Errorf("attempts %d, MayHaveCreated %v: %v", Attempts(err), MayHaveCreated(err), err)
	}
}

func TestRetriedErrorsKeepTheirMeaning(t *testing.T) {
	srv, _ := scripted(t, answer{status: 503, body: "busy"}, answer{status: 404, body: `{"error":"not_found","message":"Agent not found"}`})
	err := deleteA1(retryClient(t, srv.URL, newFakeClock(), nil))
	if !IsNotFound(err) || Attempts(err) != 2 {
		t.Errorf("a DELETE retried into not_found must read as not found after 2 attempts: %v", err)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	err := getA1(retryClient(t, srv.URL, newFakeClock(), func(c *Config) {
		c.RequestTimeout = 30 * time.Millisecond
		c.MaxRetries = 1
	}))
	if err == nil || !strings.Contains(err.Error(), "30ms request timeout") || Attempts(err) != 2 {
		t.Errorf("error %v after %d attempts", err, Attempts(err))
	}
}

func TestCanceledContextStopsRetrying(t *testing.T) {
	srv, n := scripted(t, answer{status: 503, body: "busy"})
	ctx, cancel := context.WithCancel(context.Background())
	c := retryClient(t, srv.URL, newFakeClock(), func(cfg *Config) {
		cfg.OnResponse = func(context.Context, RequestInfo) { cancel() }
	})
	_, err := c.GetAgent(ctx, "a1")
	if !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Errorf("after cancel: %v, %d requests", err, n.Load())
	}
}

func TestOnResponseSeesEveryAttempt(t *testing.T) {
	srv, _ := scripted(t, answer{status: 503, body: "busy"}, answer{status: 200, body: ok200})
	var infos []RequestInfo
	c := retryClient(t, srv.URL, newFakeClock(), func(cfg *Config) {
		cfg.OnResponse = func(_ context.Context, i RequestInfo) { infos = append(infos, i) }
	})
	if err := getA1(c); err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 || infos[0].Attempt != 1 || infos[0].StatusCode != 503 || infos[0].RetryIn != 500*time.Millisecond ||
		infos[1].Attempt != 2 || infos[1].StatusCode != 200 || infos[1].RetryIn != 0 {
		t.Errorf("infos %+v", infos)
	}
}

func TestLimiter(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(clock)
	ctx := context.Background()
	var waits []time.Duration
	for i := 0; i < 7; i++ {
		w, err := l.wait(ctx, "DELETE /agents/{id}", 3)
		if err != nil {
			t.Fatal(err)
		}
		waits = append(waits, w)
	}
	// Three at once, the next three a minute later, the seventh a minute after.
	w := time.Minute + limiterSlack
	want := []time.Duration{0, 0, 0, w, 0, 0, w}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
	if w, _ := l.wait(ctx, "GET /agents/{id}", 3); w != 0 {
		t.Errorf("another endpoint waited %s", w)
	}
	// Never more than 3 in any minute.
	times := append([]time.Time(nil), l.sent["DELETE /agents/{id}"]...)
	for i := range times {
		inWindow := 0
		for _, u := range times {
			if !u.Before(times[i]) && u.Before(times[i].Add(time.Minute)) {
				inWindow++
			}
		}
		if inWindow > 3 {
			t.Errorf("%d requests in the minute from %s", inWindow, times[i])
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.wait(canceled, "DELETE /agents/{id}", 3); !errors.Is(err, context.Canceled) {
		t.Errorf("a full limiter must give way to a canceled context: %v", err)
	}
}

// Requests to one endpoint share one window whatever their ids; an
// endpoint's documented limit applies below requests_per_minute, and
// requests_per_minute caps every endpoint.
func TestLimitsPerEndpoint(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Each agent read answers with the agent asked for.
		_, _ = fmt.Fprintf(w, `{"id":%q,"status":"running"}`, path.Base(r.URL.Path))
	}))
	t.Cleanup(srv.Close)
	batch := endpoint{method: "POST", template: "/dnc/batch", perMinute: 10}
	cases := []struct {
		name  string
		rpm   int
		calls func(c *Client) error
		waits int
	}{
		{"ids share the endpoint's window", 2, func(c *Client) error {
			for _, id := range []string{"a1", "a2", "a3"} {
				if _, err := c.GetAgent(context.Background(), id); err != nil {
					return err
				}
			}
			return nil
		}, 1},
		{"other endpoints have their own window", 2, func(c *Client) error {
			if _, err := c.GetAgent(context.Background(), "a1"); err != nil {
				return err
			}
			if err := c.PauseAgent(context.Background(), "a1"); err != nil {
				return err
			}
			return c.ResumeAgent(context.Background(), "a1")
		}, 0},
		{"a documented limit below requests_per_minute", 60, func(c *Client) error {
			for range 11 {
				if err := c.do(context.Background(), batch, "/dnc/batch", nil, nil); err != nil {
					return err
				}
			}
			return nil
		}, 1},
		{"requests_per_minute caps a documented limit", 5, func(c *Client) error {
			for range 6 {
				if err := c.do(context.Background(), batch, "/dnc/batch", nil, nil); err != nil {
					return err
				}
			}
			return nil
		}, 1},
		{"off", -1, func(c *Client) error {
			for range 100 {
				if err := c.do(context.Background(), batch, "/dnc/batch", nil, nil); err != nil {
					return err
				}
			}
			return nil
		}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			var endpoints []string
			c := retryClient(t, srv.URL, clock, func(cfg *Config) {
				cfg.RequestsPerMinute = tc.rpm
				cfg.OnResponse = func(_ context.Context, i RequestInfo) { endpoints = append(endpoints, i.Endpoint) }
			})
			if err := tc.calls(c); err != nil {
				t.Fatal(err)
			}
			if got := len(clock.waits()); got != tc.waits {
				t.Errorf("%d waits for the limiter (%v), want %d", got, clock.waits(), tc.waits)
			}
			for _, e := range endpoints {
				if strings.Contains(e, "a1") || strings.Contains(e, "a2") {
					t.Errorf("endpoint %q names an id, not a template", e)
				}
			}
		})
	}
}

var fakeNow = newFakeClock().Now()
