package kakiyotest

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// A state document with one of everything, every field set.
const fullState = `{
  "format": 1,
  "products": [{"id": "product0000000000001", "name": "Widgets", "description": "Blue ones"}],
  "prompts": [{"id": "prompt00000000000001", "name": "Intro", "type": "outreach", "model": "680321c8001e2f527d82"}],
  "agents": [
    {"id": "agent000000000000007", "status": "paused", "statusBeforePause": "running", "name": "Jane Doe",
     "login": "jane@example.com", "country": "FR", "avatar": "https://cdn.example.com/jane.png",
     "nextTask": "2026-06-01T09:00:00Z",
     "usage": {"invitations": 40, "invitationsDaily": 4, "messages": 12, "messagesDaily": 2,
               "nextInvitation": "2026-06-01T09:30:00Z", "nextMessage": "2026-06-01T10:00:00Z"},
     "workingHours": {"days": "1:1:1:1:0:0:0", "start": "08:00", "stop": "16:00", "timezone": 1},
     "limits": {"invitationsMin": 5, "invitationsMax": 15, "messagesMin": 10, "messagesMax": 30},
     "settings": {"skipInNetwork": true, "invitationsOnly": false},
     "alerts": [{"type": "auth", "subType": "2fa_required", "message": "Confirm the login", "severity": "high"}]},
    {"id": "agent000000000000009", "team": "team_other", "status": "ended"}
  ],
  "webhooks": [{"id": "webhook0000000000003", "name": "CRM", "url": "https://crm.example.com/hook",
                "events": ["prospect.qualified", "message.sent"], "active": false}],
  "dnc": [{"id": "dnc00000000000000004", "url": "https://www.linkedin.com/in/Jane-Doe/", "createdAt": "2026-01-05T10:00:00Z"}],
  "workspaces": [{"id": "workspace00000000002", "name": "Acme", "clientTeamId": "team_client_acme",
                  "createdAt": "2026-02-03T00:00:00Z", "agents": ["agent000000000000007"],
                  "clients": [{"email": "ann@acme.example", "roles": ["member", "viewer"],
                               "redirectUrl": "https://portal.example.com/acme",
                               "membershipId": "membership0000000005", "userId": "user0000000000000005"}]}],
  "campaigns": [{"id": "campaign000000000008", "name": "Spring", "agentId": "agent000000000000007",
                 "productId": "product0000000000001", "promptId": "prompt00000000000001",
                 "qualificationAutomatic": 80, "qualificationVerification": 40,
                 "variables": {"painPoint": "cost"}, "status": "paused", "createdAt": "2026-03-02T00:00:00Z"}]
}`

func loadState(t *testing.T, s *Server, doc string) {
	t.Helper()
	st, err := ReadState(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LoadState(st); err != nil {
		t.Fatal(err)
	}
}

// What a state document seeds is what the API shows, and new objects get
// ids that the document did not use.
func TestLoadStateServesTheAPI(t *testing.T) {
	ts := Start(t)
	loadState(t, ts.Server, fullState)
	k := DefaultAPIKey

	code, a := doReq(t, ts, "GET", "/agents/agent000000000000007", k, "")
	usage, _ := a["usage"].(map[string]any)
	wh, _ := usage["workingHours"].(map[string]any)
	alerts, _ := a["alerts"].([]any)
	if code != 200 || a["status"] != "paused" || a["name"] != "Jane Doe" || a["login"] != "jane@example.com" ||
		a["country"] != "FR" || a["avatar"] != "https://cdn.example.com/jane.png" || a["nextTask"] != "2026-06-01T09:00:00Z" ||
		usage["invitations"] != 40.0 || usage["nextMessage"] != "2026-06-01T10:00:00Z" ||
		wh["days"] != "1:1:1:1:0:0:0" || wh["stop"] != "16:00" || wh["timezone"] != 1.0 || len(alerts) != 1 {
		t.Errorf("GET /agents/{id}: %d %v", code, a)
	}
	if st, _ := ts.Agent("agent000000000000007"); st.Limits["messagesMax"] != 30 || !st.Settings["skipInNetwork"] {
		t.Errorf("limits and settings: %+v", st)
	}
	if code, _ := doReq(t, ts, "GET", "/agents/agent000000000000009", k, ""); code != 403 {
		t.Errorf("another team's agent: %d, want 403", code)
	}
	if code, _ := doReq(t, ts, "POST", "/agents/agent000000000000007/resume", k, ""); code != 200 {
		t.Errorf("resume: %d", code)
	}
	if st, _ := ts.Agent("agent000000000000007"); st.Status != "running" {
		t.Errorf("resumed to %q, want the status before the pause, running", st.Status)
	}
	if code, w := doReq(t, ts, "GET", "/webhooks", k, ""); code != 200 || !strings.Contains(toJSON(w), `"active":false`) ||
		!strings.Contains(toJSON(w), "webhook0000000000003") {
		t.Errorf("GET /webhooks: %d %v", code, w)
	}
	if code, d := doReq(t, ts, "GET", "/dnc/check?url=in/jane-doe", k, ""); code != 200 ||
		!strings.Contains(toJSON(d), "dnc00000000000000004") || !strings.Contains(toJSON(d), "2026-01-05T10:00:00.000Z") {
		t.Errorf("GET /dnc/check: %d %v", code, d)
	}
	if code, w := doReq(t, ts, "GET", "/workspaces", k, ""); code != 200 ||
		!strings.Contains(toJSON(w), `"clientTeamId":"team_client_acme"`) || !strings.Contains(toJSON(w), `"createdAt":"2026-02-03T00:00:00.000Z"`) {
		t.Errorf("GET /workspaces: %d %v", code, w)
	}
	if code, c := doReq(t, ts, "GET", "/campaigns", k, ""); code != 200 || !strings.Contains(toJSON(c), `"qualificationAutomatic":80`) ||
		!strings.Contains(toJSON(c), `"painPoint":"cost"`) {
		t.Errorf("GET /campaigns: %d %v", code, c)
	}
	// An agent assigned by the document moves with the API's assignment.
	if ws, _ := ts.Workspace("workspace00000000002"); !reflect.DeepEqual(ws.Agents, []string{"agent000000000000007"}) ||
		!reflect.DeepEqual(ws.Clients["ann@acme.example"], []string{"member", "viewer"}) {
		t.Errorf("workspace: %+v", ws)
	}
	// New objects skip the ids the document used.
	if _, a := doReq(t, ts, "POST", "/agents", k, `{}`); a["id"] != AgentID(10) {
		t.Errorf("new agent id %v, want %s", a["id"], AgentID(10))
	}
	if _, w := doReq(t, ts, "POST", "/webhooks", k, `{"name":"n","url":"https://x.example","events":["*"]}`); w["id"] != WebhookID(4) {
		t.Errorf("new webhook id %v, want %s", w["id"], WebhookID(4))
	}
	if code, w := doReq(t, ts, "POST", "/workspaces", k, `{"name":"Next"}`); code != 200 || w["id"] != WorkspaceID(3) ||
		w["createdAt"] != "2026-02-03T00:01:00.000Z" {
		t.Errorf("new workspace: %d %v (ids and times follow the document's)", code, w)
	}
	if code, m := doReq(t, ts, "POST", "/workspaces/workspace00000000002/invite", k, `{"email":"bob@acme.example"}`); code != 200 ||
		m["membershipId"] != "membership0000000006" {
		t.Errorf("new membership: %d %v", code, m)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// State writes what LoadState reads: a double loaded from a double's state
// holds the same objects, with the defaults filled in.
func TestStateRoundTrip(t *testing.T) {
	a := New()
	loadState(t, a, fullState)
	a.AddDNCOutOfBand("", "in/max") // no id, no time given: the double's
	st := a.State()
	if st.Format != StateFormat || len(st.Agents) != 2 || st.Agents[1].Team != "team_other" ||
		st.Agents[1].WorkingHours.Days != "1:1:1:1:1:0:0" || st.DNC[0].URL != "https://linkedin.com/in/jane-doe" ||
		st.DNC[1].CreatedAt != "2026-01-05T10:00:01Z" || *st.Webhooks[0].Active {
		t.Errorf("state: %s", toJSON(st))
	}
	b := New()
	raw, _ := json.Marshal(st)
	loadState(t, b, string(raw))
	if got := b.State(); !reflect.DeepEqual(got, st) {
		t.Errorf("round trip:\n got %s\nwant %s", toJSON(got), toJSON(st))
	}

	ts := Start(t)
	loadState(t, ts.Server, string(raw))
	resp, err := ts.HTTP.Client().Get(ts.HTTP.URL + "/_sim/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != string(raw) {
		t.Errorf("GET /_sim/state: %d\n%s\nwant %s", resp.StatusCode, body, raw)
	}
}

// A document is read strictly, and checked whole: every problem is named
// with its place, and nothing of a wrong document is loaded.
func TestStateDocumentErrors(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{`{"agents":[{"id":"agent000000000000001","stauts":"running"}]}`, `unknown field "stauts"`},
		{`{"agents":[{"limits":{"invitationsMax":"5"}}]}`, "agents.limits: must be a number, not a JSON string"},
		{`{"webhooks":[]} {}`, "more than one JSON document"},
		{`{"agents":[`, "unexpected EOF"},
	} {
		_, err := ReadState(strings.NewReader(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadState(%s): %v, want %q", c.doc, err, c.want)
		}
	}

	s := New()
	st, err := ReadState(strings.NewReader(`{
	  "format": 2,
	  "agents": [{"id": "AGENT", "status": "sleeping", "login": "jane", "country": "fr",
	              "workingHours": {"days": "1:1", "start": "25:00"}, "limits": {"invitationsMax": 101, "turbo": 1},
	              "settings": {"turbo": true}},
	             {"id": "agent000000000000001"}, {"id": "agent000000000000001"}],
	  "webhooks": [{"name": "", "url": "http://crm.example.com", "events": []}],
	  "dnc": [{"url": "https://example.com/jane"}, {"url": "in/jane"}, {"url": "https://linkedin.com/in/Jane"}],
	  "workspaces": [{"name": "Acme", "agents": ["agent000000000000099"], "clients": [{"email": "not an address"}]}],
	  "campaigns": [{"name": "No", "agentId": "agent000000000000001", "productId": "nope", "promptId": "",
	                 "qualificationAutomatic": 101, "status": "running", "createdAt": "yesterday"}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	err = s.LoadState(st)
	for _, want := range []string{
		"format: is 2; this simulator reads format 1",
		`agents[0].id: "AGENT" is not an id of 20 lowercase letters and digits`,
		`agents[0].status: "sleeping" is not one of`,
		`agents[0].login: "jane" is not an e-mail address`,
		`agents[0].country: "fr" is not a two-letter country code`,
		`agents[0].workingHours.days: "1:1" is not seven`,
		`agents[0].workingHours.start: "25:00" is not a time of day`,
		"agents[0].limits.invitationsMax: is 101; it must be between 2 and 100",
		"agents[0].limits.turbo: is not a limit",
		"agents[0].settings.turbo: is not a setting",
		`agents[2].id: "agent000000000000001" is used by another agent`,
		"webhooks[0].name: is required",
		`webhooks[0].url: "http://crm.example.com" is not an HTTPS URL`,
		"webhooks[0].events: must list at least one event",
		`dnc[0].url: "https://example.com/jane" is not a LinkedIn profile URL`,
		`dnc[2].url: "https://linkedin.com/in/Jane" is listed twice (as https://linkedin.com/in/jane)`,
		`workspaces[0].agents[0]: "agent000000000000099" is not an agent`,
		`workspaces[0].clients[0].email: "not an address" is not an e-mail address`,
		"campaigns[0].name: must be 3 to 100 characters",
		`campaigns[0].productId: "nope" is not one of the team's products`,
		`campaigns[0].promptId: "" is not one of the team's prompts`,
		"campaigns[0].qualificationAutomatic: is 101; it must be between 0 and 100",
		`campaigns[0].status: "running" is not one of active, paused, completed`,
		"campaigns[0].createdAt: must be a time in RFC 3339 form",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadState error lacks %q:\n%v", want, err)
		}
	}
	if err == nil || !strings.Contains(err.Error(), "has 24 problem(s), and nothing of it was loaded") {
		t.Errorf("LoadState error: %v", err)
	}
	if got := s.State(); len(got.Agents)+len(got.Webhooks)+len(got.DNC)+len(got.Workspaces)+len(got.Campaigns) != 0 {
		t.Errorf("a wrong document loaded objects: %s", toJSON(got))
	}

	// An id already in the double is refused too.
	id := s.AddAgent(AgentSeed{})
	if err := s.LoadState(State{Agents: []StateAgent{{ID: id}}}); err == nil || !strings.Contains(err.Error(), "is used by another agent") {
		t.Errorf("reused id: %v", err)
	}
}
