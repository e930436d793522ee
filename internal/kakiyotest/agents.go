package kakiyotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
)

// The agent endpoints (Kakiyo API reference, "Agents"; GET and POST /agents
// and POST /agents/{id}/setup are known from Kakiyo's guide and n8n node
// only, so their shapes here are guesses that the back door can vary).

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

// agentKind names agents in ids and statistics.
const agentKind = "agent"

type agentStore struct {
	byID              map[string]*agent
	invalidStatusHTTP int
	createResponse    CreateResponse
	list              listing
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
	workspace        string // the client workspace it is assigned to
}

// Alert is an alert on an agent, as the API shows it.
type Alert struct {
	Type     string `json:"type"`
	SubType  string `json:"subType"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// AgentID is the id of the n-th agent a double creates (from 1): ids are
// 20 lowercase alphanumerics like Kakiyo's, and predictable so that tests
// can name them before they exist.
func AgentID(n int) string { return fmt.Sprintf("%s%0*d", agentKind, 20-len(agentKind), n) }

// registerAgents sets up the agent store, invalid_status answered with HTTP
// 400 (the code on Kakiyo's Delete Agent page), and the agent routes.
func (s *Server) registerAgents() {
	s.agents = agentStore{byID: map[string]*agent{}, invalidStatusHTTP: http.StatusBadRequest}
	s.handle(route{pattern: "GET /agents", handle: s.listAgents})
	s.handle(route{pattern: "POST /agents", creates: true, handle: s.createAgent})
	s.handle(route{pattern: "GET /agents/{id}", handle: s.withAgent(func(a *agent, _ *call) (int, any, *apiError) {
		return http.StatusOK, a.view(), nil
	})})
	s.handle(route{pattern: "PUT /agents/{id}", handle: s.withAgent(s.updateAgent)})
	s.handle(route{pattern: "DELETE /agents/{id}", handle: s.withAgent(s.deleteAgent)})
	s.handle(route{pattern: "POST /agents/{id}/pause", handle: s.withAgent(s.pauseAgent)})
	s.handle(route{pattern: "POST /agents/{id}/resume", handle: s.withAgent(s.resumeAgent)})
	s.handle(route{pattern: "POST /agents/{id}/setup", handle: s.withAgent(s.setupAgent)})
	s.handle(route{pattern: "POST /agents/{id}/relaunch", handle: s.withAgent(s.relaunchAgent)})
	s.registerAgentAdmin()
}

// withAgent looks up the agent of the path's {id} in the caller's team.
func (s *Server) withAgent(h func(a *agent, c *call) (int, any, *apiError)) handler {
	return func(c *call) (int, any, *apiError) {
		a, ok := s.agents.byID[c.r.PathValue("id")]
		if !ok {
			return 0, nil, errBody(http.StatusNotFound, "not_found", "Agent not found")
		}
		if a.team != c.team {
			return 0, nil, errBody(http.StatusForbidden, "forbidden", "You do not have access to this agent")
		}
		return h(a, c)
	}
}

func (s *Server) invalidStatus(a *agent, msg string) *apiError {
	e := errBody(s.agents.invalidStatusHTTP, "invalid_status", msg)
	e.body["currentStatus"] = a.status
	return e
}

func (s *Server) newAgentLocked(team string) *agent {
	if team == "" {
		team = DefaultTeam
	}
	a := &agent{
		id: s.nextIDLocked(agentKind), team: team, status: "setup_needed",
		days: "1:1:1:1:1:0:0", start: "09:00", stop: "17:00",
		limits: map[string]int64{}, settings: map[string]bool{},
	}
	s.agents.byID[a.id] = a
	return a
}

func (s *Server) createAgent(c *call) (int, any, *apiError) {
	a := s.newAgentLocked(c.team)
	s.countLocked(agentKind, 1)
	switch s.agents.createResponse {
	case CreateReturnsIDAndMessage:
		return http.StatusOK, map[string]any{"id": a.id, "message": "Agent created successfully"}, nil
	case CreateReturnsWrappedAgent:
		return http.StatusOK, map[string]any{"agent": a.view(), "message": "Agent created successfully"}, nil
	}
	return http.StatusOK, a.view(), nil
}

func (s *Server) listAgents(c *call) (int, any, *apiError) {
	var ids []string
	for id, a := range s.agents.byID {
		if a.team == c.team {
			ids = append(ids, id)
		}
	}
	return http.StatusOK, s.agents.list.answer(ids, c.r.URL.Query(), "agents", func(id string) map[string]any {
		return s.agents.byID[id].view()
	}), nil
}

func (s *Server) deleteAgent(a *agent, _ *call) (int, any, *apiError) {
	if a.status != "ended" {
		return 0, nil, s.invalidStatus(a, "Agent can only be deleted when status is ended")
	}
	delete(s.agents.byID, a.id)
	s.countLocked(agentKind, -1)
	return http.StatusOK, map[string]any{"message": "Agent deleted successfully"}, nil
}

// relaunchAgent (Kakiyo's Relaunch Agent page): only an ended agent; it
// returns to setup_needed with its LinkedIn session, alerts and tasks
// wiped, and keeps its id.
func (s *Server) relaunchAgent(a *agent, _ *call) (int, any, *apiError) {
	if a.status != "ended" {
		return 0, nil, s.invalidStatus(a, "Agent can only be relaunched when status is ended")
	}
	a.status, a.prePause = "setup_needed", ""
	a.login, a.password, a.name, a.avatar, a.nextTask = nil, "", nil, nil, nil
	a.alerts = nil
	return http.StatusOK, map[string]any{"message": "Agent relaunched successfully", "status": a.status}, nil
}

func (s *Server) pauseAgent(a *agent, _ *call) (int, any, *apiError) {
	switch a.status {
	case "paused":
	case "ended", "disabled":
		return 0, nil, s.invalidStatus(a, "Agent cannot be paused in its current status")
	default:
		a.prePause, a.status = a.status, "paused"
	}
	return http.StatusOK, map[string]any{"message": "Agent paused successfully"}, nil
}

func (s *Server) resumeAgent(a *agent, _ *call) (int, any, *apiError) {
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
	daysRe    = regexp.MustCompile(`^[01](:[01]){6}$`)
	hhmmRe    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// setupAgent connects a LinkedIn account (POST /agents/{id}/setup, known
// from Kakiyo's n8n node): login and password required, country defaults to
// US. The agent then waits for LinkedIn authentication.
func (s *Server) setupAgent(a *agent, c *call) (int, any, *apiError) {
	var req struct {
		Login    *string `json:"login"`
		Password *string `json:"password"`
		Country  *string `json:"country"`
	}
	if json.Unmarshal(c.body, &req) != nil {
		return 0, nil, validationError("Request body must be a JSON object")
	}
	switch {
	case req.Login == nil || !emailRe.MatchString(*req.Login):
		return 0, nil, validationError("login must be an e-mail address")
	case req.Password == nil || *req.Password == "":
		return 0, nil, validationError("password is required")
	case req.Country != nil && !countryRe.MatchString(*req.Country):
		return 0, nil, validationError("country must be a two-letter code")
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

// updateAgent validates the whole body before changing anything, as the
// documentation's partial-update semantics suggest.
func (s *Server) updateAgent(a *agent, c *call) (int, any, *apiError) {
	bad := func(msg string) (int, any, *apiError) { return 0, nil, validationError(msg) }
	var req struct {
		WorkingHours *map[string]json.RawMessage   `json:"workingHours"`
		Limits       *map[string]json.RawMessage   `json:"limits"`
		Settings     *[]map[string]json.RawMessage `json:"settings"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
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

// sortedAgentIDsLocked lists every agent's id, sorted.
func (s *Server) sortedAgentIDsLocked() []string {
	ids := make([]string, 0, len(s.agents.byID))
	for id := range s.agents.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
