package kakiyotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Webhooks (Kakiyo API reference, "Webhooks"). POST /webhooks and the test
// endpoints are documented; the list, update and delete are known from the
// MCP tools only, so their paths, verbs and shapes are guesses that the back
// door varies.

// webhookKind names webhooks in ids and statistics.
const webhookKind = "webhook"

// WebhookID is the id of the n-th webhook a double creates (from 1).
func WebhookID(n int) string { return fmt.Sprintf("%s%0*d", webhookKind, 20-len(webhookKind), n) }

// WebhookCreateResponse selects what POST /webhooks answers.
type WebhookCreateResponse int

const (
	// WebhookCreateDocumented answers as documented: the webhook's fields and a message.
	WebhookCreateDocumented WebhookCreateResponse = iota
	// WebhookCreateWrapped answers {"webhook": {...}, "message": ...}.
	WebhookCreateWrapped
	// WebhookCreateIDOnly answers {"id": ..., "message": ...}.
	WebhookCreateIDOnly
)

type webhookStore struct {
	byID           map[string]*webhook
	list           listing
	createResponse WebhookCreateResponse
	patchOnly      bool // the update answers PUT with 405 and takes PATCH
	activeReadOnly bool // the update refuses "active"
	strictEvents   bool // unknown event names are refused
	tests          []WebhookTest
}

type webhook struct {
	id, team, name, url, secret string
	events                      []string
	active                      bool
}

// WebhookTest is one POST /webhooks/test the double carried out.
type WebhookTest struct {
	Event      string
	WebhookIDs []string // the active webhooks it was sent to
}

// knownWebhookEvents is the union of the three families of event names
// Kakiyo's pages give, and "*".
var knownWebhookEvents = []string{"*",
	"linkedin.message.sent", "linkedin.message.received", "linkedin.invitation.sent", "linkedin.invitation.accepted",
	"prospect.qualification.manual", "prospect.unqualified",
	"prospect.qualified", "prospect.responded", "campaign.completed", "message.sent", "connection.accepted", "agent.status_changed",
}

func (s *Server) registerWebhooks() {
	s.webhooks = webhookStore{byID: map[string]*webhook{}}
	s.registerWebhookAdmin()
	s.handle(route{pattern: "POST /webhooks", creates: true, handle: s.createWebhook})
	s.handle(route{pattern: "GET /webhooks", handle: func(c *call) (int, any, *apiError) {
		var ids []string
		for id, w := range s.webhooks.byID {
			if w.team == c.team {
				ids = append(ids, id)
			}
		}
		return http.StatusOK, s.webhooks.list.answer(ids, c.r.URL.Query(), "webhooks", func(id string) map[string]any {
			return s.webhooks.byID[id].view()
		}), nil
	}})
	s.handle(route{pattern: "PUT /webhooks/{id}", handle: s.withWebhook(func(w *webhook, c *call) (int, any, *apiError) {
		if s.webhooks.patchOnly {
			return 0, nil, errBody(http.StatusMethodNotAllowed, "method_not_allowed", "Use PATCH")
		}
		return s.updateWebhook(w, c)
	})})
	s.handle(route{pattern: "PATCH /webhooks/{id}", handle: s.withWebhook(s.updateWebhook)})
	s.handle(route{pattern: "DELETE /webhooks/{id}", handle: s.withWebhook(func(w *webhook, _ *call) (int, any, *apiError) {
		delete(s.webhooks.byID, w.id)
		s.countLocked(webhookKind, -1)
		return http.StatusOK, map[string]any{"message": "Webhook deleted successfully"}, nil
	})})
	s.handle(route{pattern: "POST /webhooks/test", handle: func(c *call) (int, any, *apiError) {
		var in struct {
			Event string `json:"event"`
		}
		if json.Unmarshal(c.body, &in) != nil || in.Event == "" {
			return 0, nil, validationError("event is required")
		}
		if !slices.ContainsFunc(webhookEvents, func(e map[string]any) bool { return e["id"] == in.Event }) {
			return 0, nil, errBody(http.StatusBadRequest, "invalid_event_type", "Invalid Event Type: "+in.Event)
		}
		t := WebhookTest{Event: in.Event}
		for _, id := range s.sortedWebhookIDsLocked(c.team) {
			if w := s.webhooks.byID[id]; w.active {
				t.WebhookIDs = append(t.WebhookIDs, id)
			}
		}
		s.webhooks.tests = append(s.webhooks.tests, t)
		return http.StatusOK, map[string]any{"message": "Test webhook sent", "delivered": len(t.WebhookIDs)}, nil
	}})
}

func (s *Server) withWebhook(h func(w *webhook, c *call) (int, any, *apiError)) handler {
	return func(c *call) (int, any, *apiError) {
		w, ok := s.webhooks.byID[c.r.PathValue("id")]
		switch {
		case !ok:
			return 0, nil, errBody(http.StatusNotFound, "not_found", "Webhook not found")
		case w.team != c.team:
			return 0, nil, errBody(http.StatusForbidden, "forbidden", "Webhook belongs to another team")
		}
		return h(w, c)
	}
}

// webhookInput is the body of the create and the update.
type webhookInput struct {
	Name   *string   `json:"name"`
	URL    *string   `json:"url"`
	Secret *string   `json:"secret"`
	Events *[]string `json:"events"`
	Active *bool     `json:"active"`
}

func (s *Server) checkWebhookInput(in webhookInput) *apiError {
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		return validationError("name must not be empty")
	}
	if in.URL != nil {
		u, err := url.Parse(*in.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return validationError("url must be an HTTPS URL")
		}
	}
	if in.Events != nil {
		if len(*in.Events) == 0 {
			return validationError("events must list at least one event")
		}
		for _, e := range *in.Events {
			if s.webhooks.strictEvents && !slices.Contains(knownWebhookEvents, e) {
				return errBody(http.StatusBadRequest, "validation_error", "Invalid Event Type: "+e)
			}
		}
	}
	return nil
}

func (s *Server) createWebhook(c *call) (int, any, *apiError) {
	var in webhookInput
	if err := json.Unmarshal(c.body, &in); err != nil {
		return 0, nil, validationError("invalid JSON body")
	}
	if in.Name == nil || in.URL == nil || in.Events == nil {
		return 0, nil, validationError("name, url and events are required")
	}
	if aerr := s.checkWebhookInput(in); aerr != nil {
		return 0, nil, aerr
	}
	w := &webhook{id: s.nextIDLocked(webhookKind), team: c.team, name: *in.Name, url: *in.URL,
		events: slices.Clone(*in.Events), active: true}
	if in.Secret != nil {
		w.secret = *in.Secret
	}
	s.webhooks.byID[w.id] = w
	s.countLocked(webhookKind, 1)
	switch s.webhooks.createResponse {
	case WebhookCreateWrapped:
		return http.StatusOK, map[string]any{"webhook": w.view(), "message": "Webhook created successfully"}, nil
	case WebhookCreateIDOnly:
		return http.StatusOK, map[string]any{"id": w.id, "message": "Webhook created successfully"}, nil
	}
	body := w.view()
	body["message"] = "Webhook created successfully"
	return http.StatusOK, body, nil
}

func (s *Server) updateWebhook(w *webhook, c *call) (int, any, *apiError) {
	var in webhookInput
	if err := json.Unmarshal(c.body, &in); err != nil {
		return 0, nil, validationError("invalid JSON body")
	}
	if aerr := s.checkWebhookInput(in); aerr != nil {
		return 0, nil, aerr
	}
	if in.Active != nil && s.webhooks.activeReadOnly {
		return 0, nil, validationError("active cannot be changed through the API")
	}
	if in.Name != nil {
		w.name = *in.Name
	}
	if in.URL != nil {
		w.url = *in.URL
	}
	if in.Events != nil {
		w.events = slices.Clone(*in.Events)
	}
	if in.Secret != nil {
		w.secret = *in.Secret
	}
	if in.Active != nil {
		w.active = *in.Active
	}
	return http.StatusOK, map[string]any{"id": w.id, "message": "Webhook updated successfully"}, nil
}

func (w *webhook) view() map[string]any {
	return map[string]any{"id": w.id, "name": w.name, "url": w.url, "events": slices.Clone(w.events), "active": w.active}
}

func (s *Server) sortedWebhookIDsLocked(team string) []string {
	var ids []string
	for id, w := range s.webhooks.byID {
		if w.team == team {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// ---- back door --------------------------------------------------------------

// WebhookState is a webhook as the double holds it, secret included.
type WebhookState struct {
	ID, Team, Name, URL, Secret string
	Events                      []string
	Active                      bool
}

// Webhook returns webhook id, or false when there is none.
func (s *Server) Webhook(id string) (WebhookState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.webhooks.byID[id]
	if !ok {
		return WebhookState{}, false
	}
	return WebhookState{ID: w.id, Team: w.team, Name: w.name, URL: w.url, Secret: w.secret,
		Events: slices.Clone(w.events), Active: w.active}, true
}

// WebhookCount returns how many webhooks exist, in every team.
func (s *Server) WebhookCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.webhooks.byID)
}

// AddWebhook adds an active webhook to the default team, as the dashboard
// would, and returns its id.
func (s *Server) AddWebhook(name, url string, events ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := &webhook{id: s.nextIDLocked(webhookKind), team: DefaultTeam, name: name, url: url, events: events, active: true}
	s.webhooks.byID[w.id] = w
	return w.id
}

// DisableWebhook sets active to false, as Kakiyo does after four failed
// deliveries in a row.
func (s *Server) DisableWebhook(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.webhooks.byID[id]; ok {
		w.active = false
	}
}

// DeleteWebhookOutOfBand deletes a webhook as the dashboard would.
func (s *Server) DeleteWebhookOutOfBand(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.webhooks.byID, id)
}

// SetWebhookList chooses the shape and paging of GET /webhooks answers.
func (s *Server) SetWebhookList(shape ListShape, paging Paging, pageSize int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhooks.list = listing{shape: shape, paging: paging, pageSize: pageSize}
}

// SetWebhookCreateResponse chooses the shape of POST /webhooks answers.
func (s *Server) SetWebhookCreateResponse(r WebhookCreateResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhooks.createResponse = r
}

// SetWebhookUpdate chooses how the undocumented update behaves: patchOnly
// answers PUT with 405 (PATCH works); activeReadOnly refuses "active" with
// a validation_error.
func (s *Server) SetWebhookUpdate(patchOnly, activeReadOnly bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhooks.patchOnly, s.webhooks.activeReadOnly = patchOnly, activeReadOnly
}

// SetWebhookStrictEvents makes the create and the update refuse event names
// that none of Kakiyo's pages lists.
func (s *Server) SetWebhookStrictEvents(strict bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhooks.strictEvents = strict
}

// WebhookTests returns the test deliveries made so far.
func (s *Server) WebhookTests() []WebhookTest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.webhooks.tests)
}

// registerWebhookAdmin serves the webhooks' back door over HTTP:
//
//	GET  /_sim/webhooks                every webhook: id, name, url, active
//	POST /_sim/webhooks/{id}/disable   disables it, as Kakiyo does after failed deliveries
func (s *Server) registerWebhookAdmin() {
	s.adminRoute("GET /_sim/webhooks", func(w http.ResponseWriter, _ *http.Request) {
		type row struct {
			ID     string `json:"id"`
			Name   string `json:"name"`
			URL    string `json:"url"`
			Active bool   `json:"active"`
		}
		rows := []row{}
		s.mu.Lock()
		for _, id := range s.sortedWebhookIDsLocked(DefaultTeam) {
			h := s.webhooks.byID[id]
			rows = append(rows, row{h.id, h.name, h.url, h.active})
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, rows)
	})
	s.adminRoute("POST /_sim/webhooks/{id}/disable", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if _, ok := s.Webhook(id); !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "no such webhook"})
			return
		}
		s.DisableWebhook(id)
		writeJSON(w, http.StatusOK, map[string]string{"id": id})
	})
}
