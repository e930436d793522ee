package kakiyotest

import (
	"encoding/json"
	"net/http"
)

// The agents' back door: what only Kakiyo can do to an agent (end it,
// delete it out of band, move it to another team), and the choices of the
// answers that Kakiyo has not documented.

// SetInvalidStatusHTTP chooses the HTTP status of invalid_status answers.
func (s *Server) SetInvalidStatusHTTP(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents.invalidStatusHTTP = code
}

// SetAgentList chooses the shape and paging of GET /agents answers;
// pageSize is the default page size when paging (100 when 0).
func (s *Server) SetAgentList(shape ListShape, paging Paging, pageSize int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents.list.shape, s.agents.list.paging, s.agents.list.pageSize = shape, paging, pageSize
}

// SetAgentListOmits makes GET /agents leave these keys (such as "usage" or
// "alerts") out of every item, as a list that shows a summary of each agent
// would; GET /agents/{id} still shows them. No keys restores whole items.
func (s *Server) SetAgentListOmits(keys ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents.list.omit = keys
}

// HideFromAgentList makes GET /agents leave these agents out, as a stale
// index would, while GET /agents/{id} still finds them. No ids shows all.
func (s *Server) HideFromAgentList(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents.list.hidden = map[string]bool{}
	for _, id := range ids {
		s.agents.list.hidden[id] = true
	}
}

// SetAgentCreateResponse chooses the shape of POST /agents answers.
func (s *Server) SetAgentCreateResponse(r CreateResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents.createResponse = r
}

// AgentSeed describes an agent added through the back door.
type AgentSeed struct {
	ID      string // default AgentID(n) for the n-th agent
	Team    string // default DefaultTeam
	Status  string // default running
	Name    string
	Login   string
	Country string
	Alerts  []Alert
}

// AddAgent adds an agent as if it had been created and set up in Kakiyo.
func (s *Server) AddAgent(seed AgentSeed) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.newAgentLocked(seed.Team)
	if seed.ID != "" {
		delete(s.agents.byID, a.id)
		a.id = seed.ID
		s.agents.byID[a.id] = a
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

// changeAgent applies f to an agent and reports whether it exists.
func (s *Server) changeAgent(id string, f func(a *agent)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.agents.byID[id]
	if ok {
		f(a)
	}
	return ok
}

// SetAgentStatus sets an agent's status, e.g. to "ended", which no public
// endpoint can do. It reports whether the agent exists.
func (s *Server) SetAgentStatus(id, status string) bool {
	return s.changeAgent(id, func(a *agent) { a.status = status })
}

// SetAgentTeam moves an agent to another team, so that DefaultAPIKey gets 403.
func (s *Server) SetAgentTeam(id, team string) bool {
	return s.changeAgent(id, func(a *agent) { a.team = team })
}

// SetAgentWorkingHours changes an agent's working hours out of band (drift).
func (s *Server) SetAgentWorkingHours(id, days, start, stop string) bool {
	return s.changeAgent(id, func(a *agent) { a.days, a.start, a.stop = days, start, stop })
}

// SetAgentProfile fills what LinkedIn setup would: name, login, country, avatar.
func (s *Server) SetAgentProfile(id, name, login, country, avatar string) bool {
	return s.changeAgent(id, func(a *agent) {
		a.name, a.login, a.country, a.avatar = ptr(name), ptr(login), ptr(country), ptr(avatar)
	})
}

// RemoveAgent deletes an agent out of band, whatever its status.
func (s *Server) RemoveAgent(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.agents.byID[id]
	delete(s.agents.byID, id)
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
	a, ok := s.agents.byID[id]
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
	return s.sortedAgentIDsLocked()
}

// registerAgentAdmin serves the agents' back door over HTTP, for the
// standalone simulator (it listens on loopback only):
//
//	GET    /_sim/agents               every agent: id, team, status
//	POST   /_sim/agents               {"status": "running"} adds an agent
//	POST   /_sim/agents/{id}/status   {"status": "ended"} sets its status
//	POST   /_sim/agents/{id}/end      ends it, as Kakiyo would
//	DELETE /_sim/agents/{id}          deletes it out of band
func (s *Server) registerAgentAdmin() {
	notFound := func(w http.ResponseWriter) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "no such agent, or no status"})
	}
	s.adminRoute("GET /_sim/agents", func(w http.ResponseWriter, _ *http.Request) {
		type row struct {
			ID     string `json:"id"`
			Team   string `json:"team"`
			Status string `json:"status"`
		}
		rows := []row{}
		s.mu.Lock()
		for _, id := range s.sortedAgentIDsLocked() {
			a := s.agents.byID[id]
			rows = append(rows, row{a.id, a.team, a.status})
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, rows)
	})
	s.adminRoute("POST /_sim/agents", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"id": s.AddAgent(AgentSeed{Status: statusIn(r)})})
	})
	setStatus := func(w http.ResponseWriter, id, status string) {
		if status == "" || !s.SetAgentStatus(id, status) {
			notFound(w)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": status})
	}
	s.adminRoute("POST /_sim/agents/{id}/status", func(w http.ResponseWriter, r *http.Request) {
		setStatus(w, r.PathValue("id"), statusIn(r))
	})
	s.adminRoute("POST /_sim/agents/{id}/end", func(w http.ResponseWriter, r *http.Request) {
		setStatus(w, r.PathValue("id"), "ended")
	})
	s.adminRoute("DELETE /_sim/agents/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !s.RemoveAgent(r.PathValue("id")) {
			notFound(w)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
}

// statusIn reads {"status": ...} from a back-door request body.
func statusIn(r *http.Request) string {
	var body struct {
		Status string `json:"status"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	return body.Status
}

// SetAgentListStuck makes GET /agents answer every page's request with the
// first page, under a total of a million (and, with cursor paging, a new
// cursor each time): paging that never advances.
func (s *Server) SetAgentListStuck(stuck bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents.list.stuck = stuck
}
