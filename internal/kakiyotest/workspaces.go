package kakiyotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"time"
)

// Agency client workspaces (Kakiyo API reference, "Workspaces", all
// documented). Every endpoint needs the Agency plan; what a team without it
// gets is not documented, and the back door chooses (403 by default).

const workspaceKind = "workspace"

// WorkspaceID is the id of the n-th workspace a double creates (from 1).
func WorkspaceID(n int) string { return fmt.Sprintf("%s%0*d", workspaceKind, 20-len(workspaceKind), n) }

type workspaceStore struct {
	byID      map[string]*workspace
	noAgency  map[string]bool // teams without the Agency plan
	gateHTTP  int             // the status of the refusal: 403 (default) or 402
	memberSeq int
	created   time.Time
}

type workspace struct {
	id, team, name, clientTeam string
	created                    time.Time
	clients                    map[string]*member // by e-mail
	agents                     map[string]bool
}

type member struct {
	membershipID, userID, email string
	roles                       []string
	redirectURL                 string
}

func (s *Server) registerWorkspaces() {
	s.workspaces = workspaceStore{byID: map[string]*workspace{}, noAgency: map[string]bool{},
		created: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}
	gated := func(h handler) handler {
		return func(c *call) (int, any, *apiError) {
			if s.workspaces.noAgency[c.team] {
				status := s.workspaces.gateHTTP
				if status == 0 {
					status = http.StatusForbidden
				}
				return 0, nil, errBody(status, "forbidden", "This feature requires the Agency plan")
			}
			return h(c)
		}
	}
	withWS := func(h func(w *workspace, c *call) (int, any, *apiError)) handler {
		return gated(func(c *call) (int, any, *apiError) {
			w, ok := s.workspaces.byID[c.r.PathValue("id")]
			switch {
			case !ok:
				return 0, nil, errBody(http.StatusNotFound, "not_found", "Workspace not found")
			case w.team != c.team:
				return 0, nil, errBody(http.StatusForbidden, "forbidden", "Workspace belongs to another team")
			}
			return h(w, c)
		})
	}
	s.handle(route{pattern: "GET /workspaces", handle: gated(func(c *call) (int, any, *apiError) {
		items := []map[string]any{}
		for _, id := range s.sortedWorkspaceIDsLocked(c.team) {
			items = append(items, s.workspaces.byID[id].view())
		}
		return http.StatusOK, map[string]any{"workspaces": items, "total": len(items)}, nil
	})})
	s.handle(route{pattern: "POST /workspaces", creates: true, handle: gated(func(c *call) (int, any, *apiError) {
		var in struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(c.body, &in) != nil || in.Name == "" {
			return 0, nil, validationError("name is required")
		}
		s.workspaces.created = s.workspaces.created.Add(time.Minute)
		w := &workspace{id: s.nextIDLocked(workspaceKind), team: c.team, name: in.Name, created: s.workspaces.created,
			clients: map[string]*member{}, agents: map[string]bool{}}
		w.clientTeam = "team_client_" + w.id[len(w.id)-4:]
		s.workspaces.byID[w.id] = w
		s.countLocked(workspaceKind, 1)
		return http.StatusOK, w.view(), nil
	})})
	s.handle(route{pattern: "DELETE /workspaces/{id}", handle: withWS(func(w *workspace, _ *call) (int, any, *apiError) {
		agents := len(w.agents)
		for id := range w.agents {
			if a, ok := s.agents.byID[id]; ok {
				a.workspace = ""
			}
		}
		delete(s.workspaces.byID, w.id)
		s.countLocked(workspaceKind, -1)
		return http.StatusOK, map[string]any{"message": "Workspace deleted successfully",
			"stats": map[string]any{"agentsUnassigned": agents, "campaignsUpdated": s.campaignsOfAgentsLocked(w.agents), "chatsUpdated": 0}}, nil
	})})
	s.handle(route{pattern: "POST /workspaces/{id}/invite", handle: withWS(func(w *workspace, c *call) (int, any, *apiError) {
		var in struct {
			Email       string   `json:"email"`
			Roles       []string `json:"roles"`
			RedirectURL string   `json:"redirectUrl"`
		}
		if json.Unmarshal(c.body, &in) != nil || in.Email == "" {
			return 0, nil, validationError("email is required")
		}
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			return 0, nil, validationError("Invalid email address: " + in.Email)
		}
		if len(in.Roles) == 0 {
			in.Roles = []string{"member"}
		}
		if _, dup := w.clients[in.Email]; dup {
			return 0, nil, errBody(http.StatusConflict, "conflict", "This person is already a member of the workspace")
		}
		s.workspaces.memberSeq++
		m := &member{membershipID: fmt.Sprintf("membership%010d", s.workspaces.memberSeq),
			userID: fmt.Sprintf("user%016d", s.workspaces.memberSeq), email: in.Email, roles: in.Roles, redirectURL: in.RedirectURL}
		w.clients[in.Email] = m
		return http.StatusOK, map[string]any{"membershipId": m.membershipID, "userId": m.userID, "email": m.email,
			"portalUrl": "https://youragency.kakiyo.agency", "emailSent": true}, nil
	})})
	s.handle(route{pattern: "DELETE /workspaces/{id}/clients", handle: withWS(func(w *workspace, c *call) (int, any, *apiError) {
		var in struct {
			Email string `json:"email"`
		}
		if json.Unmarshal(c.body, &in) != nil || in.Email == "" {
			return 0, nil, validationError("email is required")
		}
		if _, ok := w.clients[in.Email]; !ok {
			return 0, nil, errBody(http.StatusNotFound, "not_found", "Client not found in workspace")
		}
		delete(w.clients, in.Email)
		return http.StatusOK, map[string]any{"message": "Client removed from workspace", "email": in.Email}, nil
	})})
	agentOf := func(c *call) (*agent, *apiError) {
		a, ok := s.agents.byID[c.r.PathValue("agentId")]
		switch {
		case !ok:
			return nil, errBody(http.StatusNotFound, "not_found", "Agent not found")
		case a.team != c.team:
			return nil, errBody(http.StatusForbidden, "forbidden", "Agent belongs to another team")
		}
		return a, nil
	}
	s.handle(route{pattern: "POST /workspaces/{id}/agents/{agentId}", handle: withWS(func(w *workspace, c *call) (int, any, *apiError) {
		a, aerr := agentOf(c)
		if aerr != nil {
			return 0, nil, aerr
		}
		if old, ok := s.workspaces.byID[a.workspace]; ok && old != w {
			delete(old.agents, a.id) // an agent works for one client at a time
		}
		a.workspace = w.id
		w.agents[a.id] = true
		return http.StatusOK, map[string]any{"agentId": a.id, "workspaceId": w.id,
			"propagated": s.propagatedLocked(a.id)}, nil
	})})
	s.handle(route{pattern: "DELETE /workspaces/{id}/agents/{agentId}", handle: withWS(func(w *workspace, c *call) (int, any, *apiError) {
		a, aerr := agentOf(c)
		if aerr != nil {
			return 0, nil, aerr
		}
		if !w.agents[a.id] {
			return 0, nil, errBody(http.StatusNotFound, "not_found", "Agent is not assigned to this workspace")
		}
		delete(w.agents, a.id)
		a.workspace = ""
		return http.StatusOK, map[string]any{"message": "Agent unassigned from workspace", "agentId": a.id,
			"propagated": s.propagatedLocked(a.id)}, nil
	})})
}

// propagatedLocked counts what an agent's assignment reaches: its
// campaigns, and (the double has none) chats and prospects.
func (s *Server) propagatedLocked(agentID string) map[string]any {
	return map[string]any{"campaigns": s.campaignsOfAgentsLocked(map[string]bool{agentID: true}), "chats": 0, "prospects": 0}
}

func (w *workspace) view() map[string]any {
	return map[string]any{"id": w.id, "name": w.name, "clientTeamId": w.clientTeam,
		"createdAt": w.created.Format("2006-01-02T15:04:05.000Z07:00")}
}

func (s *Server) sortedWorkspaceIDsLocked(team string) []string {
	var ids []string
	for id, w := range s.workspaces.byID {
		if w.team == team {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// ---- back door --------------------------------------------------------------

// WorkspaceState is a workspace as the double holds it.
type WorkspaceState struct {
	ID, Team, Name, ClientTeamID string
	Clients                      map[string][]string // e-mail -> roles
	Agents                       []string
}

// Workspace returns workspace id, or false when there is none.
func (s *Server) Workspace(id string) (WorkspaceState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.workspaces.byID[id]
	if !ok {
		return WorkspaceState{}, false
	}
	st := WorkspaceState{ID: w.id, Team: w.team, Name: w.name, ClientTeamID: w.clientTeam, Clients: map[string][]string{}}
	for e, m := range w.clients {
		st.Clients[e] = slices.Clone(m.roles)
	}
	for a := range w.agents {
		st.Agents = append(st.Agents, a)
	}
	slices.Sort(st.Agents)
	return st, true
}

// WorkspaceCount returns how many workspaces exist, in every team.
func (s *Server) WorkspaceCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.workspaces.byID)
}

// AddWorkspace adds a workspace to the default team, as the dashboard
// would, and returns its id.
func (s *Server) AddWorkspace(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.workspaces.created = s.workspaces.created.Add(time.Minute)
	w := &workspace{id: s.nextIDLocked(workspaceKind), team: DefaultTeam, name: name, created: s.workspaces.created,
		clients: map[string]*member{}, agents: map[string]bool{}}
	w.clientTeam = "team_client_" + w.id[len(w.id)-4:]
	s.workspaces.byID[w.id] = w
	return w.id
}

// DeleteWorkspaceOutOfBand deletes a workspace as the dashboard would.
func (s *Server) DeleteWorkspaceOutOfBand(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.workspaces.byID[id]; ok {
		for a := range w.agents {
			if ag, ok := s.agents.byID[a]; ok {
				ag.workspace = ""
			}
		}
		delete(s.workspaces.byID, id)
	}
}

// SetAgencyPlan gives team (DefaultTeam when empty) the Agency plan, or
// takes it away; status is the HTTP status of the refusal (403 or 402; 0
// keeps the current one).
func (s *Server) SetAgencyPlan(team string, on bool, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if team == "" {
		team = DefaultTeam
	}
	s.workspaces.noAgency[team] = !on
	if status != 0 {
		s.workspaces.gateHTTP = status
	}
}
