package kakiyotest

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Simulation knobs: what a local stand-in for Kakiyo needs beyond the test
// back door. They are used by the standalone simulator, the demo, the
// benchmarks and the soak test.

// SetLatency delays every API answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetRateLimit makes the double enforce perMinute requests per endpoint in
// any minute, like Kakiyo's documented 60 (or an endpoint's own documented
// limit, when lower), answering 429 rate_limit_exceeded with Retry-After and
// resetTime. 0 turns it off.
func (s *Server) SetRateLimit(perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = perMinute
	s.rateLog = map[string][]time.Time{}
}

// SetRandomFaults makes a fraction rate (0 to 1) of requests fail with a
// transient fault: 429, 503, or a dropped connection. Requests that are safe
// to repeat may also lose their answer after being carried out; a create
// without idempotency key (route.creates) never does, so a client that
// retries it correctly never creates an object twice. seed makes the
// sequence repeatable.
func (s *Server) SetRandomFaults(rate float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultRate = rate
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// SetLostCreateAnswers makes a fraction rate (0 to 1) of create requests
// (POST /agents) lose their answer after Kakiyo handled them: the object is
// created, and the client gets a dropped connection or a 502. Counted in
// Stats.LostCreateAnswers. It uses the random-fault sequence's seed.
func (s *Server) SetLostCreateAnswers(rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lostCreateRate = rate
	if s.rng == nil {
		s.rng = rand.New(rand.NewPCG(1, 2))
	}
}

// lostCreateLocked returns the fault that loses a create's answer after
// handling it, at the configured rate.
func (s *Server) lostCreateLocked(rt route) *Fault {
	if !rt.creates || s.lostCreateRate <= 0 || s.rng == nil || s.rng.Float64() >= s.lostCreateRate {
		return nil
	}
	s.stats.LostCreateAnswers++
	if s.rng.IntN(2) == 0 {
		return &Fault{Reset: true, AfterHandling: true}
	}
	return &Fault{Status: http.StatusBadGateway, AfterHandling: true, Body: "<html><body>502 Bad Gateway</body></html>"}
}

// Stats counts requests and outcomes.
type Stats struct {
	Requests     int            `json:"requests"`
	ByEndpoint   map[string]int `json:"by_endpoint"`
	RateLimited  int            `json:"rate_limited"`
	RandomFaults int            `json:"random_faults"`
	// LostCreateAnswers counts creates whose answer was lost after the
	// object was created (SetLostCreateAnswers).
	LostCreateAnswers int `json:"lost_create_answers"`
	// Created and Deleted count objects by kind, e.g. "agent".
	Created map[string]int `json:"created"`
	Deleted map[string]int `json:"deleted"`
	// UserAgents counts API requests by User-Agent header, e.g.
	// "terraform-provider-kakiyo/0.1.0" (make release-check reads it).
	UserAgents map[string]int `json:"user_agents"`
}

// Stats returns the counters since the double started.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.ByEndpoint, st.Created, st.Deleted = maps.Clone(s.stats.ByEndpoint), maps.Clone(s.stats.Created), maps.Clone(s.stats.Deleted)
	st.UserAgents = maps.Clone(s.stats.UserAgents)
	return st
}

// rateLimitedLocked records a request against its endpoint's window and
// returns a 429 fault when it is over the limit.
func (s *Server) rateLimitedLocked(rt route) *Fault {
	limit := s.rateLimit
	if limit <= 0 {
		return nil
	}
	if rt.perMinute > 0 {
		limit = min(limit, rt.perMinute)
	}
	now := time.Now()
	log := s.rateLog[rt.pattern]
	for len(log) > 0 && !log[0].Add(time.Minute).After(now) {
		log = log[1:]
	}
	if len(log) >= limit {
		s.rateLog[rt.pattern] = log
		s.stats.RateLimited++
		reset := log[len(log)-limit].Add(time.Minute)
		secs := int(reset.Sub(now).Seconds() + 0.999)
		body, _ := json.Marshal(map[string]any{"error": "rate_limit_exceeded", "message": "Too many requests",
			"resetTime": reset.UTC().Format(time.RFC3339Nano)})
		return &Fault{Status: http.StatusTooManyRequests, Body: string(body),
			Header: map[string]string{"Retry-After": strconv.Itoa(secs)}}
	}
	s.rateLog[rt.pattern] = append(log, now)
	return nil
}

func (s *Server) randomFaultLocked(rt route) *Fault {
	if s.faultRate <= 0 || s.rng == nil || s.rng.Float64() >= s.faultRate {
		return nil
	}
	s.stats.RandomFaults++
	kinds := 3
	if !rt.creates {
		kinds = 4 // safe to repeat: the answer may also be lost after the work is done
	}
	switch s.rng.IntN(kinds) {
	case 0:
		return &Fault{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "0"},
			Body: `{"error":"rate_limit_exceeded","message":"Too many requests"}`}
	case 1:
		return &Fault{Status: http.StatusServiceUnavailable, Body: "<html><body>503 Service Unavailable</body></html>"}
	case 2:
		return &Fault{Reset: true}
	default:
		return &Fault{Reset: true, AfterHandling: true}
	}
}
