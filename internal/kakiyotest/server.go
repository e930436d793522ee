// Package kakiyotest is an in-memory, stateful double of the Kakiyo public
// API, for tests, the local simulator, the demo and the benchmarks.
//
// It answers with the bodies and error codes that Kakiyo documents, and it
// has a back door (plain Go methods) for what the public API cannot do: end
// an agent, delete one out of band, move one to another team, choose the HTTP
// status of invalid_status, inject faults, and count requests.
//
// This file is its core, which knows no Kakiyo object: API keys and teams,
// routing (net/http method-and-path patterns), request recording and
// statistics, fault injection, latency and rate limits. Each object has a
// file of its own that registers its routes (agents.go, ...).
//
// It shares no types with the client package on purpose: it is written from
// the API documentation, so that a mistake in the client's JSON mapping shows
// up as a failing test instead of being mirrored here.
package kakiyotest

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultAPIKey is the 40-character key the double accepts for DefaultTeam.
const DefaultAPIKey = "kakiyo_test_key_0123456789abcdefghijklmn"

// DefaultTeam is the team that DefaultAPIKey belongs to.
const DefaultTeam = "team_default"

// PathPrefix is where the double serves the API, like Kakiyo's /v1.
const PathPrefix = "/v1"

// Request is one request the double received.
type Request struct {
	Method   string
	Path     string // without PathPrefix and query, e.g. /agents/abc
	Endpoint string // the route it matched, e.g. "GET /agents/{id}"; empty if none
	Query    string // raw query, e.g. offset=100&limit=100
	Body     string
}

// Fault is forced on a matching request instead of the normal answer.
type Fault struct {
	Status int
	Body   string
	// Header is added to the answer, e.g. Retry-After.
	Header map[string]string
	// Delay holds the answer back (or until the client gives up).
	Delay time.Duration
	// Reset drops the connection without answering.
	Reset bool
	// AfterHandling handles the request normally first (e.g. really deletes
	// the agent), then answers with the fault: a lost or garbled answer.
	AfterHandling bool
	// Times is how many matching requests get the fault; 0 means every one.
	Times int
}

type fault struct {
	method, path string
	Fault
	used int
}

// Server is the double. Create it with New; it is an http.Handler.
type Server struct {
	mu             sync.Mutex
	keys           map[string]string // API key -> team
	mux            *http.ServeMux
	admin          *http.ServeMux // the back door over HTTP, under /_sim/
	requests       []Request
	faults         []*fault
	seq            map[string]int // per kind of object: how many were created
	hook           func(method, path string)
	latency        time.Duration
	rateLimit      int
	rateLog        map[string][]time.Time
	faultRate      float64
	lostCreateRate float64
	rng            *rand.Rand
	stats          Stats

	agents     agentStore
	catalog    catalogStore
	webhooks   webhookStore
	dnc        dncStore
	workspaces workspaceStore
	campaigns  campaignStore
}

// New returns an empty double that accepts DefaultAPIKey.
func New() *Server {
	s := &Server{
		keys:  map[string]string{DefaultAPIKey: DefaultTeam},
		mux:   http.NewServeMux(),
		admin: http.NewServeMux(),
		seq:   map[string]int{},
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// No route: recorded like every request, then answered 404.
		raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		s.record(r, "", raw)
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "not_found", "message": "Route not found"})
	})
	s.admin.HandleFunc("GET /_sim/stats", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Stats()) })
	s.admin.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "unknown back-door route"})
	})
	// GET /verify (Kakiyo's "Authentication" page): the key's check.
	s.handle(route{pattern: "GET /verify", handle: func(*call) (int, any, *apiError) {
		return http.StatusOK, map[string]any{"status": "success", "message": "API key is valid"}, nil
	}})
	s.registerAgents()
	s.registerCatalog()
	s.registerWebhooks()
	s.registerDNC()
	s.registerWorkspaces()
	s.registerCampaigns()
	s.registerStateAdmin()
	return s
}

// TestServer is a double listening on 127.0.0.1 for one test.
type TestServer struct {
	*Server
	HTTP *httptest.Server
}

// URL is the base URL to configure the provider with (it ends in /v1).
func (ts *TestServer) URL() string { return ts.HTTP.URL + PathPrefix }

// Start starts a new double on 127.0.0.1 and stops it when the test ends.
func Start(t testing.TB) *TestServer {
	t.Helper()
	s := New()
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return &TestServer{Server: s, HTTP: hs}
}

// ---- routing -------------------------------------------------------------

// call is one API request as an object's handler sees it, with the double's
// lock held: the caller's team, the request (for path values and the query)
// and its body.
type call struct {
	team string
	r    *http.Request
	body []byte
}

// handler answers an API request with a status and a JSON body, or an error.
type handler func(c *call) (int, any, *apiError)

// route is one endpoint of the API.
type route struct {
	pattern string // method and path template without PathPrefix, e.g. "GET /agents/{id}"
	// perMinute is Kakiyo's documented limit for the endpoint when it has
	// one; the double enforces the lower of it and SetRateLimit's.
	perMinute int
	// creates marks an endpoint that creates an object without an
	// idempotency key: random faults never lose its answer after handling.
	creates bool
	handle  handler
}

// handle registers rt. Each request goes through record, hook, fault, rate
// limit, latency and authentication before rt.handle sees it.
func (s *Server) handle(rt route) {
	method, tmpl, ok := strings.Cut(rt.pattern, " ")
	if !ok {
		panic("kakiyotest: a route pattern needs a method: " + rt.pattern)
	}
	s.mux.HandleFunc(method+" "+PathPrefix+tmpl, func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, rt)
	})
}

// adminRoute registers a back-door route, e.g. "POST /_sim/agents/{id}/end".
func (s *Server) adminRoute(pattern string, h http.HandlerFunc) { s.admin.HandleFunc(pattern, h) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.admin.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) record(r *http.Request, endpoint string, raw []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.EscapedPath(), PathPrefix)
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, Endpoint: endpoint, Query: r.URL.RawQuery, Body: string(raw)})
	s.stats.Requests++
	if s.stats.UserAgents == nil {
		s.stats.UserAgents = map[string]int{}
	}
	s.stats.UserAgents[r.UserAgent()]++
	if endpoint != "" {
		if s.stats.ByEndpoint == nil {
			s.stats.ByEndpoint = map[string]int{}
		}
		s.stats.ByEndpoint[endpoint]++
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt route) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	path := strings.TrimPrefix(r.URL.EscapedPath(), PathPrefix)

	s.mu.Lock()
	hook := s.hook
	s.mu.Unlock()
	if hook != nil {
		hook(r.Method, path)
	}
	s.record(r, rt.pattern, raw)

	s.mu.Lock()
	latency := s.latency
	f := s.matchFaultLocked(r.Method, path)
	if f == nil {
		f = s.rateLimitedLocked(rt)
	}
	if f == nil {
		f = s.randomFaultLocked(rt)
	}
	if f == nil {
		f = s.lostCreateLocked(rt)
	}
	var status int
	var body any
	team, aerr := s.authLocked(r)
	if aerr == nil && (f == nil || f.AfterHandling) {
		status, body, aerr = rt.handle(&call{team: team, r: r, body: raw})
	}
	s.mu.Unlock()

	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case f != nil:
		s.applyFault(w, r, *f)
	case aerr != nil:
		writeJSON(w, aerr.status, aerr.body)
	default:
		writeJSON(w, status, body)
	}
}

// ---- back door: keys, faults, requests ------------------------------------

// AddAPIKey makes key valid for team.
func (s *Server) AddAPIKey(key, team string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = team
}

// InjectFault makes requests matching method and path (without PathPrefix,
// e.g. "/agents/abc"; "*" matches any) answer f instead.
func (s *Server) InjectFault(method, path string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, path: path, Fault: f})
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// OnRequest sets a function called with each request's method and path
// before the double handles it (nil removes it). It may use the back door,
// e.g. to change an agent's status between a plan and its apply.
func (s *Server) OnRequest(hook func(method, path string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = hook
}

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests had this method and path ("*" matches any).
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "*" || r.Method == method) && (path == "*" || r.Path == path) {
			n++
		}
	}
	return n
}

// CountEndpoint returns how many requests matched the route pattern, such
// as "GET /agents/{id}".
func (s *Server) CountEndpoint(pattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Endpoint == pattern {
			n++
		}
	}
	return n
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// ---- helpers for the objects' handlers -------------------------------------

type apiError struct {
	status int
	body   map[string]any
}

func errBody(status int, code, msg string) *apiError {
	return &apiError{status: status, body: map[string]any{"error": code, "message": msg}}
}

func validationError(msg string) *apiError {
	return errBody(http.StatusBadRequest, "validation_error", msg)
}

// nextID returns a new id for an object of kind: 20 lowercase alphanumerics
// like Kakiyo's, the kind's name padded with its sequence number.
func (s *Server) nextIDLocked(kind string) string {
	s.seq[kind]++
	return fmt.Sprintf("%s%0*d", kind, 20-len(kind), s.seq[kind])
}

// countLocked records in the statistics that an object of kind was created
// (n > 0) or deleted (n < 0).
func (s *Server) countLocked(kind string, n int) {
	m := &s.stats.Created
	if n < 0 {
		m, n = &s.stats.Deleted, -n
	}
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[kind] += n
}

func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) {
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if f.Reset {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
}

func (s *Server) matchFaultLocked(method, path string) *Fault {
	for _, f := range s.faults {
		if (f.method == "*" || f.method == method) && (f.path == "*" || f.path == path) && (f.Times == 0 || f.used < f.Times) {
			f.used++
			return &f.Fault
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) authLocked(r *http.Request) (string, *apiError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", errBody(http.StatusUnauthorized, "missing_api_key", "API key is required")
	}
	key, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || len(key) != 40 {
		return "", errBody(http.StatusUnauthorized, "invalid_api_key_format", "Invalid API key format")
	}
	team, ok := s.keys[key]
	if !ok {
		return "", errBody(http.StatusUnauthorized, "invalid_api_key", "Invalid API key")
	}
	return team, nil
}

func ptr(s string) *string { return &s }
