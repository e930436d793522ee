// Package kakiyotest is an in-memory, stateful double of the Kakiyo public
// API's agent endpoints, for tests and for the local demo.
//
// It answers with the bodies and error codes that Kakiyo documents, and it
// has a back door (plain Go methods) for what the public API cannot do: end
// an agent, delete one out of band, move one to another team, choose the HTTP
// status of invalid_status, inject faults, and count requests.
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
	"net/url"
	"regexp"
	"sort"
	"strconv"
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

// CreateResponse selects what POST /agents answers; the real shape is not
// documented.
type CreateResponse int

const (
	// CreateReturnsAgent answers with the full agent object.
	CreateReturnsAgent CreateResponse = iota
	// CreateReturnsIDAndMessage answers {"id": ..., "message": ...} only.
	CreateReturnsIDAndMessage
	// CreateReturnsWrappedAgent answers {"agent": {...}, "message": ...}.
	CreateReturnsWrappedAgent
)

// ListShape selects how GET /agents wraps its list; the real shape is not
// documented.
type ListShape int

const (
	// ListAgentsKey answers {"agents": [...], "total": n}, like /models.
	ListAgentsKey ListShape = iota
	// ListBareArray answers [...] (no room for paging fields).
	ListBareArray
	// ListDataKey answers {"data": [...], "total": n}.
	ListDataKey
	// ListItemsKey answers {"items": [...], "total": n}.
	ListItemsKey
	// ListNestedData answers {"data": {"agents": [...], "total", "limit", "offset"}}, like DNC.
	ListNestedData
)

// Paging selects how GET /agents pages.
type Paging int

const (
	// PagingNone returns every agent at once.
	PagingNone Paging = iota
	// PagingOffset honors ?offset=&limit= and reports total, limit, offset.
	PagingOffset
	// PagingCursor honors ?after=<cursor> and reports nextCursor and hasMore.
	PagingCursor
)

// Request is one request the double received.
type Request struct {
	Method string
	Path   string // without PathPrefix and query, e.g. /agents/abc
	Query  string // raw query, e.g. offset=100&limit=100
	Body   string
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
	mu                sync.Mutex
	keys              map[string]string // API key -> team
	agents            map[string]*agent
	invalidStatusHTTP int
	createResponse    CreateResponse
	requests          []Request
	faults            []*fault
	seq               int
	hook              func(method, path string)
	listShape         ListShape
	paging            Paging
	pageSize          int
	latency           time.Duration
	rateLimit         int
	rateLog           map[string][]time.Time
	faultRate         float64
	rng               *rand.Rand
	stats             Stats
}

type agent struct {
	id, team, status string
	prePause         string
	name, login      *string
	country, avatar  *string
	nextTask         *string
	invitations      int64
	invitationsDaily int64
	messages         int64
	messagesDaily    int64
	nextInvitation   *string
	nextMessage      *string
	days, start      string
	stop             string
	timezone         float64
	limits           map[string]int64
	settings         map[string]bool
	alerts           []Alert
	password         string
}

// Alert is an alert on an agent, as the API shows it.
type Alert struct {
	Type     string `json:"type"`
	SubType  string `json:"subType"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// New returns an empty double that accepts DefaultAPIKey and answers
// invalid_status with HTTP 400, the code on Kakiyo's Delete Agent page.
func New() *Server {
	return &Server{
		keys:              map[string]string{DefaultAPIKey: DefaultTeam},
		agents:            map[string]*agent{},
		invalidStatusHTTP: http.StatusBadRequest,
	}
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

// ---- back door ----------------------------------------------------------

// AddAPIKey makes key valid for team.
func (s *Server) AddAPIKey(key, team string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = team
}

// SetInvalidStatusHTTP chooses the HTTP status of invalid_status answers.
func (s *Server) SetInvalidStatusHTTP(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidStatusHTTP = code
}

// SetList chooses the shape and paging of GET /agents answers; pageSize is
// the default page size when paging.
func (s *Server) SetList(shape ListShape, paging Paging, pageSize int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pageSize <= 0 {
		pageSize = 100
	}
	s.listShape, s.paging, s.pageSize = shape, paging, pageSize
}

// SetCreateResponse chooses the shape of POST /agents answers.
func (s *Server) SetCreateResponse(r CreateResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createResponse = r
}

// Seed describes an agent added through the back door.
type Seed struct {
	ID      string // default AgentID(n) for the n-th agent
	Team    string // default DefaultTeam
	Status  string // default running
	Name    string
	Login   string
	Country string
	Alerts  []Alert
}

// AddAgent adds an agent as if it had been created and set up in Kakiyo.
func (s *Server) AddAgent(seed Seed) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.newAgentLocked(seed.Team)
	if seed.ID != "" {
		delete(s.agents, a.id)
		a.id = seed.ID
		s.agents[a.id] = a
	}
	a.status = "running"
	if seed.Status != "" {
		a.status = seed.Status
	}
	if seed.Name != "" {
		a.name = ptr(seed.Name)
	}
	if seed.Login != "" {
		a.login = ptr(seed.Login)
	}
	if seed.Country != "" {
		a.country = ptr(seed.Country)
	}
	a.alerts = append([]Alert(nil), seed.Alerts...)
	return a.id
}

// SetStatus sets an agent's status, e.g. to "ended", which no public
// endpoint can do. It reports whether the agent exists.
func (s *Server) SetStatus(id, status string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[id]
	if ok {
		a.status = status
	}
	return ok
}

// SetTeam moves an agent to another team, so that DefaultAPIKey gets 403.
func (s *Server) SetTeam(id, team string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[id]
	if ok {
		a.team = team
	}
	return ok
}

// SetWorkingHours changes an agent's working hours out of band (drift).
func (s *Server) SetWorkingHours(id, days, start, stop string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[id]
	if ok {
		a.days, a.start, a.stop = days, start, stop
	}
	return ok
}

// SetProfile fills what LinkedIn setup would: name, login, country, avatar.
func (s *Server) SetProfile(id, name, login, country, avatar string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[id]
	if ok {
		a.name, a.login, a.country, a.avatar = ptr(name), ptr(login), ptr(country), ptr(avatar)
	}
	return ok
}

// RemoveAgent deletes an agent out of band, whatever its status.
func (s *Server) RemoveAgent(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.agents[id]
	delete(s.agents, id)
	return ok
}

// AgentState is what the double holds for an agent, including what the
// public GET does not show (limits and settings).
type AgentState struct {
	ID, Team, Status  string
	Login, Country    string
	Password          string // as last sent to /setup; never in a GET
	Days, Start, Stop string
	Limits            map[string]int64
	Settings          map[string]bool
}

// Agent returns a copy of an agent's state.
func (s *Server) Agent(id string) (AgentState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents[id]
	if !ok {
		return AgentState{}, false
	}
	st := AgentState{ID: a.id, Team: a.team, Status: a.status, Days: a.days, Start: a.start, Stop: a.stop,
		Password: a.password, Limits: map[string]int64{}, Settings: map[string]bool{}}
	if a.login != nil {
		st.Login = *a.login
	}
	if a.country != nil {
		st.Country = *a.country
	}
	for k, v := range a.limits {
		st.Limits[k] = v
	}
	for k, v := range a.settings {
		st.Settings[k] = v
	}
	return st, true
}

// AgentIDs lists the ids of all agents, sorted.
func (s *Server) AgentIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.agents))
	for id := range s.agents {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
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

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// ---- HTTP --------------------------------------------------------------

var (
	daysRe = regexp.MustCompile(`^[01](:[01]){6}$`)
	hhmmRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

type apiError struct {
	status int
	body   map[string]any
}

func errBody(status int, code, msg string) *apiError {
	return &apiError{status: status, body: map[string]any{"error": code, "message": msg}}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if strings.HasPrefix(path, "/_sim/") {
		s.adminHTTP(w, r)
		return
	}
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if !strings.HasPrefix(path, PathPrefix+"/") {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "not_found", "message": "Route not found"})
		return
	}
	path = strings.TrimPrefix(path, PathPrefix)

	s.mu.Lock()
	hook := s.hook
	s.mu.Unlock()
	if hook != nil {
		hook(r.Method, path)
	}

	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: string(raw)})
	s.stats.Requests++
	if s.stats.ByEndpoint == nil {
		s.stats.ByEndpoint = map[string]int{}
	}
	s.stats.ByEndpoint[endpointKey(r.Method, path)]++
	latency := s.latency

	f := s.matchFaultLocked(r.Method, path)
	if f == nil {
		f = s.rateLimitedLocked(r.Method, path)
	}
	if f == nil {
		f = s.randomFaultLocked(r.Method, path)
	}
	var status int
	var body any
	team, aerr := s.authLocked(r)
	if aerr == nil && (f == nil || f.AfterHandling) {
		agentsBefore := len(s.agents)
		status, body, aerr = s.routeLocked(r.Method, path, r.URL.Query(), team, raw)
		if n := len(s.agents) - agentsBefore; n > 0 && r.Method == http.MethodPost {
			s.stats.AgentsCreated += n
		} else if n < 0 && r.Method == http.MethodDelete {
			s.stats.AgentsDeleted -= n
		}
	}
	s.mu.Unlock()

	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}

	if f != nil {
		s.applyFault(w, r, *f)
		return
	}
	if aerr != nil {
		writeJSON(w, aerr.status, aerr.body)
		return
	}
	writeJSON(w, status, body)
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

func (s *Server) routeLocked(method, path string, query url.Values, team string, body []byte) (int, any, *apiError) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if parts[0] != "agents" {
		return 0, nil, errBody(http.StatusNotFound, "not_found", "Route not found")
	}
	switch {
	case len(parts) == 1 && method == http.MethodGet:
		return s.listLocked(team, query)
	case len(parts) == 1 && method == http.MethodPost:
		return s.createLocked(team)
	case len(parts) == 2 || len(parts) == 3:
		a, aerr := s.lookupLocked(parts[1], team)
		if aerr != nil {
			return 0, nil, aerr
		}
		if len(parts) == 2 {
			switch method {
			case http.MethodGet:
				return http.StatusOK, a.view(), nil
			case http.MethodPut:
				return s.updateLocked(a, body)
			case http.MethodDelete:
				return s.deleteLocked(a)
			}
		} else if method == http.MethodPost {
			switch parts[2] {
			case "pause":
				return s.pauseLocked(a)
			case "resume":
				return s.resumeLocked(a)
			case "setup":
				return s.setupLocked(a, body)
			}
		}
	}
	return 0, nil, errBody(http.StatusNotFound, "not_found", "Route not found")
}

func (s *Server) lookupLocked(id, team string) (*agent, *apiError) {
	a, ok := s.agents[id]
	if !ok {
		return nil, errBody(http.StatusNotFound, "not_found", "Agent not found")
	}
	if a.team != team {
		return nil, errBody(http.StatusForbidden, "forbidden", "You do not have access to this agent")
	}
	return a, nil
}

func (s *Server) invalidStatus(a *agent, msg string) *apiError {
	e := errBody(s.invalidStatusHTTP, "invalid_status", msg)
	e.body["currentStatus"] = a.status
	return e
}

func (s *Server) newAgentLocked(team string) *agent {
	if team == "" {
		team = DefaultTeam
	}
	s.seq++
	a := &agent{
		id: AgentID(s.seq), team: team, status: "setup_needed",
		days: "1:1:1:1:1:0:0", start: "09:00", stop: "17:00",
		limits: map[string]int64{}, settings: map[string]bool{},
	}
	s.agents[a.id] = a
	return a
}

func (s *Server) createLocked(team string) (int, any, *apiError) {
	a := s.newAgentLocked(team)
	switch s.createResponse {
	case CreateReturnsIDAndMessage:
		return http.StatusOK, map[string]any{"id": a.id, "message": "Agent created successfully"}, nil
	case CreateReturnsWrappedAgent:
		return http.StatusOK, map[string]any{"agent": a.view(), "message": "Agent created successfully"}, nil
	}
	return http.StatusOK, a.view(), nil
}

func (s *Server) listLocked(team string, query url.Values) (int, any, *apiError) {
	var ids []string
	for id, a := range s.agents {
		if a.team == team {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	total := len(ids)
	extra := map[string]any{"total": total}
	page := ids
	switch s.paging {
	case PagingOffset:
		offset, _ := strconv.Atoi(query.Get("offset"))
		limit, err := strconv.Atoi(query.Get("limit"))
		if err != nil || limit <= 0 {
			limit = s.pageSize
		}
		offset = min(max(offset, 0), total)
		page = ids[offset:min(offset+limit, total)]
		extra["offset"], extra["limit"] = offset, limit
	case PagingCursor:
		start := 0
		if after := query.Get("after"); after != "" {
			start = sort.SearchStrings(ids, after)
			if start < total && ids[start] == after {
				start++
			}
		}
		end := min(start+s.pageSize, total)
		page = ids[start:end]
		extra["hasMore"] = end < total
		if end < total {
			extra["nextCursor"] = ids[end-1]
		}
	}
	items := make([]map[string]any, 0, len(page))
	for _, id := range page {
		items = append(items, s.agents[id].view())
	}
	wrap := func(key string) map[string]any {
		m := map[string]any{key: items}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	switch s.listShape {
	case ListBareArray:
		return http.StatusOK, items, nil
	case ListDataKey:
		return http.StatusOK, wrap("data"), nil
	case ListItemsKey:
		return http.StatusOK, wrap("items"), nil
	case ListNestedData:
		return http.StatusOK, map[string]any{"data": wrap("agents")}, nil
	}
	return http.StatusOK, wrap("agents"), nil
}

func (s *Server) deleteLocked(a *agent) (int, any, *apiError) {
	if a.status != "ended" {
		return 0, nil, s.invalidStatus(a, "Agent can only be deleted when status is ended")
	}
	delete(s.agents, a.id)
	return http.StatusOK, map[string]any{"message": "Agent deleted successfully"}, nil
}

func (s *Server) pauseLocked(a *agent) (int, any, *apiError) {
	switch a.status {
	case "paused":
	case "ended", "disabled":
		return 0, nil, s.invalidStatus(a, "Agent cannot be paused in its current status")
	default:
		a.prePause, a.status = a.status, "paused"
	}
	return http.StatusOK, map[string]any{"message": "Agent paused successfully"}, nil
}

func (s *Server) resumeLocked(a *agent) (int, any, *apiError) {
	switch a.status {
	case "running":
	case "paused":
		a.status = a.prePause
		if a.status == "" {
			a.status = "running"
		}
	default:
		return 0, nil, s.invalidStatus(a, "Agent can only be resumed when status is paused")
	}
	return http.StatusOK, map[string]any{"message": "Agent resumed successfully"}, nil
}

var (
	emailRe   = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	countryRe = regexp.MustCompile(`^[A-Z]{2}$`)
)

// setupLocked connects a LinkedIn account (POST /agents/{id}/setup, known
// from Kakiyo's n8n node): login and password required, country defaults to
// US. The agent then waits for LinkedIn authentication.
func (s *Server) setupLocked(a *agent, body []byte) (int, any, *apiError) {
	var req struct {
		Login    *string `json:"login"`
		Password *string `json:"password"`
		Country  *string `json:"country"`
	}
	if json.Unmarshal(body, &req) != nil {
		return 0, nil, errBody(http.StatusBadRequest, "validation_error", "Request body must be a JSON object")
	}
	switch {
	case req.Login == nil || !emailRe.MatchString(*req.Login):
		return 0, nil, errBody(http.StatusBadRequest, "validation_error", "login must be an e-mail address")
	case req.Password == nil || *req.Password == "":
		return 0, nil, errBody(http.StatusBadRequest, "validation_error", "password is required")
	case req.Country != nil && !countryRe.MatchString(*req.Country):
		return 0, nil, errBody(http.StatusBadRequest, "validation_error", "country must be a two-letter code")
	}
	if a.status == "ended" || a.status == "disabled" {
		return 0, nil, s.invalidStatus(a, "Agent cannot be set up in its current status")
	}
	country := "US"
	if req.Country != nil {
		country = *req.Country
	}
	a.login, a.country, a.password = ptr(*req.Login), ptr(country), *req.Password
	a.status = "auth_in_progress"
	return http.StatusOK, map[string]any{"message": "Agent setup started", "status": a.status}, nil
}

// updateLocked validates the whole body before changing anything, as the
// documentation's partial-update semantics suggest.
func (s *Server) updateLocked(a *agent, body []byte) (int, any, *apiError) {
	bad := func(msg string) (int, any, *apiError) {
		return 0, nil, errBody(http.StatusBadRequest, "validation_error", msg)
	}
	var req struct {
		WorkingHours *map[string]json.RawMessage   `json:"workingHours"`
		Limits       *map[string]json.RawMessage   `json:"limits"`
		Settings     *[]map[string]json.RawMessage `json:"settings"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return bad("Request body must be a JSON object with workingHours, limits or settings")
	}
	wh := map[string]string{}
	if req.WorkingHours != nil {
		for k, v := range *req.WorkingHours {
			var sv string
			if json.Unmarshal(v, &sv) != nil {
				return bad("workingHours." + k + " must be a string")
			}
			switch k {
			case "days":
				if !daysRe.MatchString(sv) {
					return bad("workingHours.days must be 7 colon-separated 0/1 flags, e.g. 1:1:1:1:1:0:0")
				}
			case "start", "stop":
				if !hhmmRe.MatchString(sv) {
					return bad("workingHours." + k + " must be HH:MM (24h)")
				}
			default:
				return bad("workingHours." + k + " is not a known field")
			}
			wh[k] = sv
		}
	}
	ranges := map[string][2]int64{
		"invitationsMin": {1, 100}, "invitationsMax": {2, 100},
		"messagesMin": {1, 500}, "messagesMax": {2, 500},
	}
	lim := map[string]int64{}
	if req.Limits != nil {
		for k, v := range *req.Limits {
			rg, ok := ranges[k]
			if !ok {
				return bad("limits." + k + " is not a known field")
			}
			var n int64
			if json.Unmarshal(v, &n) != nil {
				return bad("limits." + k + " must be an integer")
			}
			if n < rg[0] || n > rg[1] {
				return bad(fmt.Sprintf("limits.%s must be between %d and %d", k, rg[0], rg[1]))
			}
			lim[k] = n
		}
	}
	set := map[string]bool{}
	if req.Settings != nil {
		for _, e := range *req.Settings {
			var key string
			var val bool
			if json.Unmarshal(e["key"], &key) != nil || (key != "skipInNetwork" && key != "invitationsOnly") {
				return bad("settings[].key must be skipInNetwork or invitationsOnly")
			}
			if json.Unmarshal(e["value"], &val) != nil {
				return bad("settings[].value must be a boolean")
			}
			set[key] = val
		}
	}
	if d, ok := wh["days"]; ok {
		a.days = d
	}
	if v, ok := wh["start"]; ok {
		a.start = v
	}
	if v, ok := wh["stop"]; ok {
		a.stop = v
	}
	for k, v := range lim {
		a.limits[k] = v
	}
	for k, v := range set {
		a.settings[k] = v
	}
	return http.StatusOK, map[string]any{"id": a.id, "message": "Agent settings updated successfully"}, nil
}

// view renders the agent like GET /agents/{id}. Absent values are rendered
// both ways real APIs do: some as null, some left out.
func (a *agent) view() map[string]any {
	v := map[string]any{
		"id":       a.id,
		"status":   a.status,
		"login":    a.login, // null until set up
		"nextTask": a.nextTask,
		"usage": map[string]any{
			"invitations":      a.invitations,
			"invitationsDaily": a.invitationsDaily,
			"messages":         a.messages,
			"messagesDaily":    a.messagesDaily,
			"nextInvitation":   a.nextInvitation,
			"nextMessage":      a.nextMessage,
			"workingHours": map[string]any{
				"days": a.days, "start": a.start, "stop": a.stop, "timezone": a.timezone,
			},
		},
		"alerts": append([]Alert{}, a.alerts...),
	}
	if a.name != nil {
		v["name"] = *a.name
	}
	if a.country != nil {
		v["country"] = *a.country
	}
	if a.avatar != nil {
		v["avatar"] = *a.avatar
	}
	return v
}

// AgentID is the id of the n-th agent a double creates (from 1): ids are
// 20 lowercase alphanumerics like Kakiyo's, and predictable so that tests
// can name them before they exist.
func AgentID(n int) string { return fmt.Sprintf("agent%015d", n) }

func ptr(s string) *string { return &s }
