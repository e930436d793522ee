package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Retry policy
//
// The client retries, itself, rather than through go-retryablehttp, because
// the policy depends on what the request does and the tests must not sleep:
//
//   - 429 (rate_limit_exceeded) is retried for every request: Kakiyo refused
//     it before doing anything.
//   - 500, 502, 503, 504 and transport errors are retried for requests that
//     are safe to repeat: reads, PUT, DELETE, pause, resume, setup.
//   - A request that creates an object (its endpoint says so: creates, as
//     POST /agents does) is not: a retry after a lost answer could create a
//     second paid object. It is retried only when the request surely never
//     reached Kakiyo (the connection failed before the request was written,
//     as httptrace tells) or on 429; otherwise the error is an
//     *UnknownOutcomeError (see MayHaveCreated).
//   - Other 4xx answers are never retried.
//
// Waits grow exponentially from RetryWaitMin with jitter, are capped at
// RetryWaitMax each, follow Retry-After (seconds or an HTTP date) or a
// resetTime in a 429 body when there is one, and all waits together stay
// within MaxRetryTime. Every wait ends at once when the context is done.

// Clock is the time source of retries and rate limiting; tests replace it.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RetryError is returned when retries ran out; it wraps the last error, so
// the predicates (IsNotFound, ...) see through it.
type RetryError struct {
	Method, Path string
	Attempts     int
	Waited       time.Duration
	Reason       string // why it stopped: retries exhausted, or the time budget
	Last         error
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("kakiyo API %s %s: gave up after %d attempts (%s, %s spent waiting): %v",
		e.Method, e.Path, e.Attempts, e.Reason, e.Waited.Round(time.Millisecond), e.Last)
}

func (e *RetryError) Unwrap() error { return e.Last }

// Attempts returns how many attempts a failed call made (1 if it was not
// retried).
func Attempts(err error) int {
	var re *RetryError
	if errors.As(err, &re) {
		return re.Attempts
	}
	return 1
}

// TransportError is a request that got no HTTP answer.
type TransportError struct {
	Method, Path string
	// Written reports whether the request was fully sent before it failed.
	Written bool
	Err     error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("kakiyo API %s %s: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// UnknownOutcomeError is the failure of a request that creates an object
// when Kakiyo may have received it: it answered with a server error, or the
// connection was lost after the request was sent. The object may exist.
type UnknownOutcomeError struct {
	Endpoint string // e.g. "POST /agents"
	Err      error
}

func (e *UnknownOutcomeError) Error() string { return e.Err.Error() }

func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// MayHaveCreated reports whether a failed create may still have created its
// object (see UnknownOutcomeError).
func MayHaveCreated(err error) bool {
	var ue *UnknownOutcomeError
	return errors.As(err, &ue)
}

// mayHaveReached reports whether a failed request may have been carried out:
// a server error, a connection lost after the request was written, a 2xx
// answer that is not what was asked for, or a redirect (a 303 follows a
// request that was handled; a proxy may answer 307 after the request
// reached Kakiyo: nothing says it was not).
func mayHaveReached(err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return te.Written
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return true
	}
	var re *RedirectError
	if errors.As(err, &re) {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode >= 500
}

// OutcomeUnknown reports whether a failed request may have been carried out
// by Kakiyo all the same (see mayHaveReached): a DELETE that timed out, was
// interrupted after it was sent, or got a server error may have deleted its
// object.
func OutcomeUnknown(err error) bool { return err != nil && mayHaveReached(err) }

// retryable decides whether an attempt's outcome may be retried.
func retryable(idempotent bool, status int, err error) bool {
	var te *TransportError
	if errors.As(err, &te) {
		return idempotent || !te.Written
	}
	switch status {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent
	}
	return false
}

// backoff returns how long to wait before attempt n+1 (n >= 1).
func backoff(n int, first, ceiling time.Duration, jitter func(time.Duration) time.Duration) time.Duration {
	d := first
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	if d > ceiling {
		d = ceiling
	}
	// Equal jitter: half fixed, half random, so that parallel operations
	// that failed together do not retry together.
	half := d / 2
	return half + jitter(d-half)
}

func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// maxServerWaitSeconds bounds a Retry-After value (about 68 years).
const maxServerWaitSeconds = 1 << 31

// serverWait returns the wait the server asked for, if any: a Retry-After
// header (seconds or HTTP date), or a resetTime field in the JSON body
// (RFC 3339, or seconds or milliseconds since the epoch).
func serverWait(h http.Header, body []byte, now time.Time) (time.Duration, bool) {
	if ra := strings.TrimSpace(h.Get("Retry-After")); ra != "" {
		if secs, err := strconv.ParseInt(ra, 10, 64); err == nil && secs >= 0 {
			// Clamped so that a huge value cannot overflow into a negative
			// wait; the caller caps waits far lower anyway.
			return time.Duration(min(secs, maxServerWaitSeconds)) * time.Second, true
		}
		if t, err := http.ParseTime(ra); err == nil {
			return max(t.Sub(now), 0), true
		}
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return 0, false
	}
	raw, ok := fields["resetTime"]
	if !ok {
		return 0, false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return max(t.Sub(now), 0), true
		}
		return 0, false
	}
	var n float64
	// Epoch seconds or milliseconds up to the year 2286; anything larger is
	// not a time.
	if json.Unmarshal(raw, &n) == nil && n > 0 && n < 1e13 {
		var t time.Time
		if n > 1e12 {
			t = time.UnixMilli(int64(n))
		} else {
			t = time.Unix(int64(n), 0)
		}
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// limiter keeps each endpoint within its limit of requests in every window
// of one minute (a sliding log, not a token bucket: a bucket would let
// through up to twice the limit in some windows, which a strict server
// answers with 429s). An endpoint is a method and a path template, such as
// "DELETE /agents/{id}", since Kakiyo limits per endpoint.
type limiter struct {
	mu     sync.Mutex
	window time.Duration
	clock  Clock
	sent   map[string][]time.Time
}

// limiterSlack widens the client's window a little: the server starts its
// own window when a request arrives, a moment after the client sent it.
const limiterSlack = 250 * time.Millisecond

func newLimiter(clock Clock) *limiter {
	return &limiter{window: time.Minute + limiterSlack, clock: clock, sent: map[string][]time.Time{}}
}

// wait blocks until a request to endpoint may go without passing perMinute
// (0: no limit), and records it.
func (l *limiter) wait(ctx context.Context, endpoint string, perMinute int) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if l == nil || perMinute <= 0 {
		return 0, nil
	}
	var waited time.Duration
	for {
		l.mu.Lock()
		now := l.clock.Now()
		times := l.sent[endpoint]
		for len(times) > 0 && !times[0].Add(l.window).After(now) {
			times = times[1:]
		}
		if len(times) < perMinute {
			l.sent[endpoint] = append(times, now)
			l.mu.Unlock()
			return waited, nil
		}
		l.sent[endpoint] = times
		d := times[len(times)-perMinute].Add(l.window).Sub(now)
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, d); err != nil {
			return waited, err
		}
		waited += d
	}
}
