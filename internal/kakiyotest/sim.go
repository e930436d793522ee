package kakiyotest

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
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
// any minute, like Kakiyo's documented 60, answering 429
// rate_limit_exceeded with Retry-After and resetTime. 0 turns it off.
func (s *Server) SetRateLimit(perMinute int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit = perMinute
	s.rateLog = map[string][]time.Time{}
}

// SetRandomFaults makes a fraction rate (0 to 1) of requests fail with a
// transient fault: 429, 503, or a dropped connection. Requests that are safe
// to repeat may also lose their answer after being carried out; POST
// /agents never does, so a client that retries it correctly never creates
// an agent twice. seed makes the sequence repeatable.
func (s *Server) SetRandomFaults(rate float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultRate = rate
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Stats counts requests and outcomes.
type Stats struct {
	Requests      int            `json:"requests"`
	ByEndpoint    map[string]int `json:"by_endpoint"`
	RateLimited   int            `json:"rate_limited"`
	RandomFaults  int            `json:"random_faults"`
	AgentsCreated int            `json:"agents_created"`
	AgentsDeleted int            `json:"agents_deleted"`
}

// Stats returns the counters since the double started.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.ByEndpoint = map[string]int{}
	for k, v := range s.stats.ByEndpoint {
		st.ByEndpoint[k] = v
	}
	return st
}

func endpointKey(method, path string) string {
	parts := strings.Split(path, "/")
	if len(parts) > 2 && parts[1] == "agents" {
		parts[2] = "{id}"
	}
	return method + " " + strings.Join(parts, "/")
}

// rateLimitedLocked records a request against the endpoint's window and
// returns a 429 fault when it is over the limit.
func (s *Server) rateLimitedLocked(method, path string) *Fault {
	if s.rateLimit <= 0 {
		return nil
	}
	key := endpointKey(method, path)
	now := time.Now()
	log := s.rateLog[key]
	for len(log) > 0 && !log[0].Add(time.Minute).After(now) {
		log = log[1:]
	}
	if len(log) >= s.rateLimit {
		s.rateLog[key] = log
		s.stats.RateLimited++
		reset := log[0].Add(time.Minute)
		secs := int(reset.Sub(now).Seconds() + 0.999)
		body, _ := json.Marshal(map[string]any{"error": "rate_limit_exceeded", "message": "Too many requests",
			"resetTime": reset.UTC().Format(time.RFC3339Nano)})
		return &Fault{Status: http.StatusTooManyRequests, Body: string(body),
			Header: map[string]string{"Retry-After": itoa(secs)}}
	}
	s.rateLog[key] = append(log, now)
	return nil
}

func (s *Server) randomFaultLocked(method, path string) *Fault {
	if s.faultRate <= 0 || s.rng == nil || s.rng.Float64() >= s.faultRate {
		return nil
	}
	s.stats.RandomFaults++
	kinds := 3
	if method != http.MethodPost || path != "/agents" {
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

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// adminHTTP serves the back door over HTTP, under /_sim/, for the standalone
// simulator (it listens on loopback only):
//
//	GET  /_sim/agents                  every agent: id, team, status
//	POST /_sim/agents                  {"status": "running"} adds an agent
//	POST /_sim/agents/{id}/status      {"status": "ended"} sets its status
//	POST /_sim/agents/{id}/end         ends it, as Kakiyo would
//	DELETE /_sim/agents/{id}           deletes it out of band
//	GET  /_sim/stats                   request counters
func (s *Server) adminHTTP(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/_sim"), "/"), "/")
	var body struct {
		Status string `json:"status"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	switch {
	case len(parts) == 1 && parts[0] == "stats" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Stats())
	case len(parts) == 1 && parts[0] == "agents" && r.Method == http.MethodGet:
		type row struct {
			ID     string `json:"id"`
			Team   string `json:"team"`
			Status string `json:"status"`
		}
		var rows []row
		for _, id := range s.AgentIDs() {
			if a, ok := s.Agent(id); ok {
				rows = append(rows, row{a.ID, a.Team, a.Status})
			}
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
		writeJSON(w, http.StatusOK, rows)
	case len(parts) == 1 && parts[0] == "agents" && r.Method == http.MethodPost:
		writeJSON(w, http.StatusOK, map[string]string{"id": s.AddAgent(Seed{Status: body.Status})})
	case len(parts) == 3 && parts[0] == "agents" && r.Method == http.MethodPost && (parts[2] == "status" || parts[2] == "end"):
		status := body.Status
		if parts[2] == "end" {
			status = "ended"
		}
		if status == "" || !s.SetStatus(parts[1], status) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "no such agent, or no status"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"id": parts[1], "status": status})
	case len(parts) == 2 && parts[0] == "agents" && r.Method == http.MethodDelete:
		if !s.RemoveAgent(parts[1]) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "no such agent"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"id": parts[1]})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "unknown back-door route"})
	}
}
