package kakiyotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
	"unicode/utf8"
)

// Campaigns. PUT /campaigns/{id} and GET /analytics/campaigns/{id} are
// documented; the create, the list (cursor "after", "limit"), pause and
// resume are known from the n8n node and MCP tools, so their shapes are
// guesses that the back door varies. No campaign can be deleted.

const campaignKind = "campaign"

// CampaignID is the id of the n-th campaign a double creates (from 1).
func CampaignID(n int) string { return fmt.Sprintf("%s%0*d", campaignKind, 20-len(campaignKind), n) }

// CampaignCreateResponse selects what POST /campaigns answers.
type CampaignCreateResponse int

const (
	// CampaignCreateIDAndMessage answers {"id": ..., "message": ...}, like the update.
	CampaignCreateIDAndMessage CampaignCreateResponse = iota
	// CampaignCreateFull answers the whole campaign.
	CampaignCreateFull
	// CampaignCreateWrapped answers {"campaign": {...}, "message": ...}.
	CampaignCreateWrapped
)

type campaignStore struct {
	byID           map[string]*campaign
	list           listing
	createResponse CampaignCreateResponse
	created        time.Time
}

type campaign struct {
	id, team, name              string
	agentID, productID, prompID string
	qa, qv                      int64
	variables                   map[string]string
	status                      string
	created                     time.Time
	metrics                     CampaignMetricsSeed // what Kakiyo counted (analytics_backdoor.go)
}

func (s *Server) registerCampaigns() {
	s.campaigns = campaignStore{byID: map[string]*campaign{}, list: listing{paging: PagingCursor, pageSize: 100},
		created: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	withCampaign := func(h func(cp *campaign, c *call) (int, any, *apiError)) handler {
		return func(c *call) (int, any, *apiError) {
			cp, ok := s.campaigns.byID[c.r.PathValue("id")]
			switch {
			case !ok:
				return 0, nil, errBody(http.StatusNotFound, "not_found", "Campaign not found")
			case cp.team != c.team:
				return 0, nil, errBody(http.StatusForbidden, "forbidden", "Campaign belongs to another team")
			}
			return h(cp, c)
		}
	}
	s.handle(route{pattern: "POST /campaigns", creates: true, handle: s.createCampaign})
	s.handle(route{pattern: "GET /campaigns", handle: func(c *call) (int, any, *apiError) {
		var ids []string
		for id, cp := range s.campaigns.byID {
			if cp.team == c.team {
				ids = append(ids, id)
			}
		}
		return http.StatusOK, s.campaigns.list.answer(ids, c.r.URL.Query(), "campaigns", func(id string) map[string]any {
			return s.campaigns.byID[id].view()
		}), nil
	}})
	s.handle(route{pattern: "PUT /campaigns/{id}", handle: withCampaign(func(cp *campaign, c *call) (int, any, *apiError) {
		var in campaignInput
		if err := json.Unmarshal(c.body, &in); err != nil {
			return 0, nil, validationError("invalid JSON body")
		}
		if aerr := in.check(); aerr != nil {
			return 0, nil, aerr
		}
		if in.Name != nil {
			cp.name = *in.Name
		}
		if in.QA != nil {
			cp.qa = *in.QA
		}
		if in.QV != nil {
			cp.qv = *in.QV
		}
		if in.Variables != nil {
			cp.variables = *in.Variables // replaced, not merged
		}
		return http.StatusOK, map[string]any{"id": cp.id, "message": "Campaign updated successfully"}, nil
	})})
	s.handle(route{pattern: "POST /campaigns/{id}/pause", handle: withCampaign(func(cp *campaign, _ *call) (int, any, *apiError) {
		if cp.status == "completed" {
			return 0, nil, &apiError{status: http.StatusBadRequest, body: map[string]any{"error": "invalid_status",
				"message": "Only an active campaign can be paused", "currentStatus": cp.status}}
		}
		cp.status = "paused"
		return http.StatusOK, map[string]any{"message": "Campaign paused successfully"}, nil
	})})
	s.handle(route{pattern: "POST /campaigns/{id}/resume", handle: withCampaign(func(cp *campaign, _ *call) (int, any, *apiError) {
		if cp.status == "completed" {
			return 0, nil, &apiError{status: http.StatusBadRequest, body: map[string]any{"error": "invalid_status",
				"message": "Only a paused campaign can be resumed", "currentStatus": cp.status}}
		}
		cp.status = "active"
		return http.StatusOK, map[string]any{"message": "Campaign resumed successfully"}, nil
	})})
	s.handle(route{pattern: "GET /analytics/campaigns/{id}", handle: withCampaign(func(cp *campaign, c *call) (int, any, *apiError) {
		product := ""
		for _, p := range s.catalog.products[c.team] {
			if p.ID == cp.productID {
				product = p.Name
			}
		}
		answer := cp.metrics.analyticsView()
		answer["campaign"] = map[string]any{"id": cp.id, "name": cp.name, "status": cp.status,
			"createdAt": cp.created.Format(time.RFC3339), "agent": cp.agentID, "product": product}
		return http.StatusOK, answer, nil
	})})
}

type campaignInput struct {
	Name      *string            `json:"name"`
	AgentID   *string            `json:"agentId"`
	ProductID *string            `json:"productId"`
	PromptID  *string            `json:"promptId"`
	QA        *int64             `json:"qualificationAutomatic"`
	QV        *int64             `json:"qualificationVerification"`
	Variables *map[string]string `json:"variables"`
}

// check applies the documented validation: name 3 to 100 characters,
// thresholds 0 to 100.
func (in campaignInput) check() *apiError {
	if in.Name != nil {
		if n := utf8.RuneCountInString(*in.Name); n < 3 || n > 100 {
			return validationError("name must be between 3 and 100 characters")
		}
	}
	for name, v := range map[string]*int64{"qualificationAutomatic": in.QA, "qualificationVerification": in.QV} {
		if v != nil && (*v < 0 || *v > 100) {
			return validationError(name + " must be between 0 and 100")
		}
	}
	return nil
}

func (s *Server) createCampaign(c *call) (int, any, *apiError) {
	var in campaignInput
	if err := json.Unmarshal(c.body, &in); err != nil {
		return 0, nil, validationError("invalid JSON body")
	}
	if in.Name == nil || in.AgentID == nil || in.ProductID == nil || in.PromptID == nil {
		return 0, nil, validationError("name, agentId, productId and promptId are required")
	}
	if aerr := in.check(); aerr != nil {
		return 0, nil, aerr
	}
	if a, ok := s.agents.byID[*in.AgentID]; !ok || a.team != c.team {
		return 0, nil, errBody(http.StatusNotFound, "not_found", "Agent not found: "+*in.AgentID)
	}
	if !slices.ContainsFunc(s.catalog.products[c.team], func(p Product) bool { return p.ID == *in.ProductID }) {
		return 0, nil, validationError("Product not found: " + *in.ProductID)
	}
	if !slices.ContainsFunc(s.catalog.prompts[c.team], func(p Prompt) bool { return p.ID == *in.PromptID }) {
		return 0, nil, validationError("Prompt not found: " + *in.PromptID)
	}
	s.campaigns.created = s.campaigns.created.Add(time.Minute)
	cp := &campaign{id: s.nextIDLocked(campaignKind), team: c.team, name: *in.Name, agentID: *in.AgentID,
		productID: *in.ProductID, prompID: *in.PromptID, qa: 70, qv: 50, variables: map[string]string{},
		status: "active", created: s.campaigns.created}
	if in.QA != nil {
		cp.qa = *in.QA
	}
	if in.QV != nil {
		cp.qv = *in.QV
	}
	if in.Variables != nil {
		cp.variables = *in.Variables
	}
	s.campaigns.byID[cp.id] = cp
	s.countLocked(campaignKind, 1)
	switch s.campaigns.createResponse {
	case CampaignCreateFull:
		return http.StatusOK, cp.view(), nil
	case CampaignCreateWrapped:
		return http.StatusOK, map[string]any{"campaign": cp.view(), "message": "Campaign created successfully"}, nil
	}
	return http.StatusOK, map[string]any{"id": cp.id, "message": "Campaign created successfully"}, nil
}

func (cp *campaign) view() map[string]any {
	vars := map[string]any{}
	for k, v := range cp.variables {
		vars[k] = v
	}
	return map[string]any{"id": cp.id, "name": cp.name, "status": cp.status, "agentId": cp.agentID,
		"productId": cp.productID, "promptId": cp.prompID, "qualificationAutomatic": cp.qa,
		"qualificationVerification": cp.qv, "variables": vars, "createdAt": cp.created.Format(time.RFC3339)}
}

// campaignsOfAgentsLocked counts the campaigns of these agents.
func (s *Server) campaignsOfAgentsLocked(agents map[string]bool) int {
	n := 0
	for _, cp := range s.campaigns.byID {
		if agents[cp.agentID] {
			n++
		}
	}
	return n
}

// ---- back door --------------------------------------------------------------

// CampaignState is a campaign as the double holds it.
type CampaignState struct {
	ID, Team, Name, AgentID, ProductID, PromptID, Status string
	QualificationAutomatic, QualificationVerification    int64
	Variables                                            map[string]string
}

// Campaign returns campaign id, or false when there is none.
func (s *Server) Campaign(id string) (CampaignState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp, ok := s.campaigns.byID[id]
	if !ok {
		return CampaignState{}, false
	}
	vars := map[string]string{}
	for k, v := range cp.variables {
		vars[k] = v
	}
	return CampaignState{ID: cp.id, Team: cp.team, Name: cp.name, AgentID: cp.agentID, ProductID: cp.productID,
		PromptID: cp.prompID, Status: cp.status, QualificationAutomatic: cp.qa, QualificationVerification: cp.qv,
		Variables: vars}, true
}

// CampaignCount returns how many campaigns exist, in every team.
func (s *Server) CampaignCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.campaigns.byID)
}

// SetCampaignStatus sets a campaign's status, as Kakiyo would (e.g.
// "completed"); it reports whether the campaign exists.
func (s *Server) SetCampaignStatus(id, status string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp, ok := s.campaigns.byID[id]
	if ok {
		cp.status = status
	}
	return ok
}

// ChangeCampaign renames a campaign out of band.
func (s *Server) ChangeCampaign(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp, ok := s.campaigns.byID[id]; ok {
		cp.name = name
	}
}

// SetCampaignList chooses the shape and paging of GET /campaigns answers,
// and keys its items leave out (a summary).
func (s *Server) SetCampaignList(shape ListShape, paging Paging, pageSize int, omit ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.campaigns.list = listing{shape: shape, paging: paging, pageSize: pageSize, omit: omit}
}

// HideFromCampaignList makes GET /campaigns leave these campaigns out (the
// analytics still find them).
func (s *Server) HideFromCampaignList(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.campaigns.list.hidden = map[string]bool{}
	for _, id := range ids {
		s.campaigns.list.hidden[id] = true
	}
}

// SetCampaignCreateResponse chooses the shape of POST /campaigns answers.
func (s *Server) SetCampaignCreateResponse(r CampaignCreateResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.campaigns.createResponse = r
}

// RemoveCampaignOutOfBand removes a campaign, as Kakiyo's support (or the
// deletion of its agent) might: no API call can.
func (s *Server) RemoveCampaignOutOfBand(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.campaigns.byID, id)
}

// MoveCampaignToTeam gives a campaign to another team, whose key then sees
// it and the default team's gets "forbidden".
func (s *Server) MoveCampaignToTeam(id, team string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp, ok := s.campaigns.byID[id]; ok {
		cp.team = team
	}
}
