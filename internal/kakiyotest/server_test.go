package kakiyotest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
)

func doReq(t *testing.T, ts *TestServer, method, path, key, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := ts.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// The double answers like Kakiyo's documentation: these are the bodies every
// acceptance test relies on.
func TestDocumentedAnswers(t *testing.T) {
	ts := Start(t)
	id := ts.AddAgent(AgentSeed{Status: "running"})
	other := ts.AddAgent(AgentSeed{Team: "team_other"})
	k := DefaultAPIKey

	cases := []struct {
		name, method, path, key, body string
		status                        int
		code, currentStatus           string
	}{
		{"no key", "GET", "/agents/" + id, "", "", 401, "missing_api_key", ""},
		{"short key", "GET", "/agents/" + id, "short", "", 401, "invalid_api_key_format", ""},
		{"unknown key", "GET", "/agents/" + id, strings.Repeat("x", 40), "", 401, "invalid_api_key", ""},
		{"unknown agent", "GET", "/agents/nope", k, "", 404, "not_found", ""},
		{"other team", "DELETE", "/agents/" + other, k, "", 403, "forbidden", ""},
		{"delete running", "DELETE", "/agents/" + id, k, "", 400, "invalid_status", "running"},
		{"bad days", "PUT", "/agents/" + id, k, `{"workingHours":{"days":"1:1"}}`, 400, "validation_error", ""},
		{"bad start", "PUT", "/agents/" + id, k, `{"workingHours":{"start":"25:00"}}`, 400, "validation_error", ""},
		{"limit range", "PUT", "/agents/" + id, k, `{"limits":{"invitationsMax":101}}`, 400, "validation_error", ""},
		{"limit type", "PUT", "/agents/" + id, k, `{"limits":{"messagesMin":"5"}}`, 400, "validation_error", ""},
		{"unknown setting", "PUT", "/agents/" + id, k, `{"settings":[{"key":"turbo","value":true}]}`, 400, "validation_error", ""},
		{"not JSON", "PUT", "/agents/" + id, k, `nope`, 400, "validation_error", ""},
		{"resume running", "POST", "/agents/" + id + "/resume", k, "", 200, "", ""},
		{"unknown route", "GET", "/nowhere", k, "", 404, "not_found", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := doReq(t, ts, tc.method, tc.path, tc.key, tc.body)
			if status != tc.status {
				t.Errorf("HTTP %d, want %d (%v)", status, tc.status, body)
			}
			if tc.code != "" && (body["error"] != tc.code || body["message"] == "") {
				t.Errorf("body %v, want error %q with a message", body, tc.code)
			}
			if tc.currentStatus != "" && body["currentStatus"] != tc.currentStatus {
				t.Errorf("currentStatus %v, want %q", body["currentStatus"], tc.currentStatus)
			}
		})
	}
	if a, _ := ts.Agent(id); len(a.Limits) != 0 || a.Days != "1:1:1:1:1:0:0" {
		t.Errorf("a rejected PUT changed the agent: %+v", a)
	}
}

func TestLifecycleThroughHTTP(t *testing.T) {
	ts := Start(t)
	ts.SetInvalidStatusHTTP(http.StatusConflict)
	k := DefaultAPIKey
	status, created := doReq(t, ts, "POST", "/agents", k, "")
	id, _ := created["id"].(string)
	if status != 200 || id != AgentID(1) || created["status"] != "setup_needed" || created["login"] != nil {
		t.Fatalf("create: %d %v", status, created)
	}
	if _, ok := created["avatar"]; ok {
		t.Error("a new agent has no avatar: it must be left out")
	}
	if s, _ := doReq(t, ts, "PUT", "/agents/"+id, k, `{"workingHours":{"start":"07:15"},"limits":{"messagesMax":40},"settings":[{"key":"invitationsOnly","value":true}]}`); s != 200 {
		t.Fatalf("PUT: %d", s)
	}
	a, _ := ts.Agent(id)
	if a.Start != "07:15" || a.Stop != "17:00" || a.Limits["messagesMax"] != 40 || !a.Settings["invitationsOnly"] {
		t.Errorf("after PUT: %+v", a)
	}
	if s, _ := doReq(t, ts, "POST", "/agents/"+id+"/pause", k, ""); s != 200 {
		t.Fatal("pause")
	}
	if s, got := doReq(t, ts, "GET", "/agents/"+id, k, ""); s != 200 || got["status"] != "paused" {
		t.Errorf("after pause: %v", got)
	}
	doReq(t, ts, "POST", "/agents/"+id+"/resume", k, "")
	if s, got := doReq(t, ts, "DELETE", "/agents/"+id, k, ""); s != 409 || got["currentStatus"] != "setup_needed" {
		t.Errorf("delete before end: %d %v", s, got)
	}
	ts.SetAgentStatus(id, "ended")
	if s, got := doReq(t, ts, "DELETE", "/agents/"+id, k, ""); s != 200 || got["message"] != "Agent deleted successfully" {
		t.Errorf("delete: %d %v", s, got)
	}
	if n := ts.Count("DELETE", "/agents/"+id); n != 2 {
		t.Errorf("counted %d DELETEs", n)
	}
}

// The core records every request with the route it matched, counts by
// endpoint template and by kind of object, and serves the back door.
func TestCoreRecordsAndCounts(t *testing.T) {
	ts := Start(t)
	k := DefaultAPIKey
	doReq(t, ts, "POST", "/agents", k, "")
	doReq(t, ts, "POST", "/agents", k, "")
	doReq(t, ts, "GET", "/agents/"+AgentID(1), k, "")
	doReq(t, ts, "GET", "/agents/"+AgentID(2), k, "")
	doReq(t, ts, "GET", "/nowhere", k, "")
	ts.SetAgentStatus(AgentID(2), "ended")
	doReq(t, ts, "DELETE", "/agents/"+AgentID(2), k, "")

	st := ts.Stats()
	if st.Requests != 6 || st.ByEndpoint["GET /agents/{id}"] != 2 || st.ByEndpoint["POST /agents"] != 2 ||
		st.Created["agent"] != 2 || st.Deleted["agent"] != 1 {
		t.Errorf("stats %+v", st)
	}
	if n := ts.CountEndpoint("GET /agents/{id}"); n != 2 {
		t.Errorf("CountEndpoint: %d", n)
	}
	reqs := ts.Requests()
	if reqs[4].Path != "/nowhere" || reqs[4].Endpoint != "" {
		t.Errorf("an unknown route is recorded without endpoint: %+v", reqs[4])
	}

	resp, err := ts.HTTP.Client().Post(ts.HTTP.URL+"/_sim/agents/"+AgentID(1)+"/end", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if a, _ := ts.Agent(AgentID(1)); resp.StatusCode != 200 || a.Status != "ended" {
		t.Errorf("back door end: HTTP %d, status %q", resp.StatusCode, a.Status)
	}
	if ts.Stats().Requests != 6 {
		t.Error("the back door must not count as API requests")
	}
}

// API requests are counted by User-Agent, back-door requests not at all.
func TestCoreCountsUserAgents(t *testing.T) {
	ts := Start(t)
	for _, ua := range []string{"terraform-provider-kakiyo/1.2.3", "terraform-provider-kakiyo/1.2.3", "other/1"} {
		req, err := http.NewRequest("GET", ts.URL()+"/agents/"+AgentID(1), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
		req.Header.Set("User-Agent", ua)
		resp, err := ts.HTTP.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	resp, err := ts.HTTP.Client().Get(ts.HTTP.URL + "/_sim/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"terraform-provider-kakiyo/1.2.3": 2, "other/1": 1}; !maps.Equal(st.UserAgents, want) {
		t.Errorf("user agents %v, want %v", st.UserAgents, want)
	}
}

// The rate limit is per endpoint template, not per path.
func TestRateLimitPerEndpoint(t *testing.T) {
	ts := Start(t)
	ts.SetRateLimit(2)
	k := DefaultAPIKey
	for i := range 3 {
		ts.AddAgent(AgentSeed{})
		status, body := doReq(t, ts, "GET", "/agents/"+AgentID(i+1), k, "")
		want := 200
		if i == 2 {
			want = 429
		}
		if status != want {
			t.Errorf("GET #%d: HTTP %d (%v), want %d", i+1, status, body, want)
		}
	}
	if status, _ := doReq(t, ts, "GET", "/agents", k, ""); status != 200 {
		t.Errorf("another endpoint is limited apart: HTTP %d", status)
	}
}

// Webhooks and the DNC list answer as documented (or, where Kakiyo is
// silent, as the back door chose).
func TestWebhookAndDNCAnswers(t *testing.T) {
	ts := Start(t)
	k := DefaultAPIKey
	ts.AddAPIKey(strings.Repeat("o", 40), "team_other")
	theirs := ts.AddDNCOutOfBand("team_other", "in/their-contact")
	cases := []struct {
		name, method, path, key, body string
		status                        int
		code                          string
	}{
		{"webhook over http", "POST", "/webhooks", k, `{"name":"a","url":"http://x.example.com","events":["*"]}`, 400, "validation_error"},
		{"webhook without events", "POST", "/webhooks", k, `{"name":"a","url":"https://x.example.com","events":[]}`, 400, "validation_error"},
		{"webhook", "POST", "/webhooks", k, `{"name":"a","url":"https://x.example.com","events":["*"],"secret":"s"}`, 200, ""},
		{"another team's webhook", "DELETE", "/webhooks/" + WebhookID(1), strings.Repeat("o", 40), "", 403, "forbidden"},
		{"unknown webhook", "PUT", "/webhooks/nope", k, `{"name":"b"}`, 404, "not_found"},
		{"test of an unknown event", "POST", "/webhooks/test", k, `{"event":"linkedin.message.sent"}`, 400, "invalid_event_type"},
		{"test", "POST", "/webhooks/test", k, `{"event":"prospect.qualified"}`, 200, ""},
		{"dnc add", "POST", "/dnc", k, `{"url":"https://www.linkedin.com/in/Jane/"}`, 201, ""},
		{"dnc add, another spelling", "POST", "/dnc", k, `{"url":"in/jane"}`, 409, "conflict"},
		{"dnc add, not a profile", "POST", "/dnc", k, `{"url":"https://linkedin.com/company/x"}`, 400, "validation_error"},
		{"dnc check without url", "GET", "/dnc/check", k, "", 400, "validation_error"},
		{"dnc list, limit too large", "GET", "/dnc?limit=1001", k, "", 400, "validation_error"},
		{"dnc batch, empty", "POST", "/dnc/batch", k, `{"entries":[]}`, 400, "validation_error"},
		{"dnc batch", "POST", "/dnc/batch", k, `{"entries":[{"url":"in/jane"},{"url":"in/joe"}]}`, 201, ""},
		{"dnc delete, another team's", "DELETE", "/dnc/" + theirs, k, "", 403, "forbidden"},
		{"dnc delete, unknown", "DELETE", "/dnc/nope", k, "", 404, "not_found"},
	}
	for _, tc := range cases {
		status, body := doReq(t, ts, tc.method, tc.path, tc.key, tc.body)
		if status != tc.status || (tc.code != "" && body["error"] != tc.code) {
			t.Errorf("%s: HTTP %d %v, want %d %q", tc.name, status, body, tc.status, tc.code)
		}
	}
	_, batch := doReq(t, ts, "POST", "/dnc/batch", k, `{"entries":[{"url":"in/jane"},{"url":"in/new"},{"url":"x"}]}`)
	data, _ := batch["data"].(map[string]any)
	if data["added"] != 1.0 || data["duplicates"] != 1.0 || data["errors"] != 1.0 {
		t.Errorf("batch answer %v", batch)
	}
	_, list := doReq(t, ts, "GET", "/dnc?limit=2&offset=1", k, "")
	data, _ = list["data"].(map[string]any)
	entries, _ := data["entries"].([]any)
	if data["total"] != 3.0 || data["limit"] != 2.0 || data["offset"] != 1.0 || len(entries) != 2 {
		t.Errorf("list answer %v", list)
	}
	first, _ := entries[0].(map[string]any)
	if first["$id"] == nil || first["$createdAt"] == nil || first["url"] == nil {
		t.Errorf("an entry %v", first)
	}
	if w, _ := ts.Webhook(WebhookID(1)); w.Secret != "s" {
		t.Errorf("the secret was not kept: %+v", w)
	}
	ts.SetWebhookUpdate(true, true)
	if status, _ := doReq(t, ts, "PUT", "/webhooks/"+WebhookID(1), k, `{"name":"b"}`); status != 405 {
		t.Errorf("PUT on a PATCH-only double: %d", status)
	}
	if status, _ := doReq(t, ts, "PATCH", "/webhooks/"+WebhookID(1), k, `{"active":true}`); status != 400 {
		t.Errorf("active on a double that refuses it: %d", status)
	}
}

// Workspaces and campaigns answer as documented (or as the back door chose
// where Kakiyo is silent).
func TestAgencyAnswers(t *testing.T) {
	ts := Start(t)
	k := DefaultAPIKey
	agent := ts.AddAgent(AgentSeed{Status: "running"})
	product := ts.AddProduct("P", "")
	prompt := ts.AddPrompt("Pr", "message", "m")
	ws := ts.AddWorkspace("Acme")
	campaign := `{"name":"Q4 push","agentId":"` + agent + `","productId":"` + product + `","promptId":"` + prompt + `"}`
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"workspace without name", "POST", "/workspaces", `{}`, 400, "validation_error"},
		{"invite without email", "POST", "/workspaces/" + ws + "/invite", `{}`, 400, "validation_error"},
		{"invite", "POST", "/workspaces/" + ws + "/invite", `{"email":"jane@acme.example"}`, 200, ""},
		{"remove a stranger", "DELETE", "/workspaces/" + ws + "/clients", `{"email":"joe@acme.example"}`, 404, "not_found"},
		{"assign an unknown agent", "POST", "/workspaces/" + ws + "/agents/nope", "", 404, "not_found"},
		{"assign", "POST", "/workspaces/" + ws + "/agents/" + agent, "", 200, ""},
		{"unknown workspace", "DELETE", "/workspaces/nope", "", 404, "not_found"},
		{"campaign, short name", "POST", "/campaigns", strings.Replace(campaign, "Q4 push", "Q4", 1), 400, "validation_error"},
		{"campaign, threshold", "POST", "/campaigns", strings.Replace(campaign, `"name"`, `"qualificationAutomatic":101,"name"`, 1), 400, "validation_error"},
		{"campaign", "POST", "/campaigns", campaign, 200, ""},
		{"campaign update, threshold", "PUT", "/campaigns/" + CampaignID(1), `{"qualificationVerification":-1}`, 400, "validation_error"},
		{"campaign pause", "POST", "/campaigns/" + CampaignID(1) + "/pause", "", 200, ""},
		{"campaign analytics", "GET", "/analytics/campaigns/" + CampaignID(1), "", 200, ""},
		{"no campaign delete", "DELETE", "/campaigns/" + CampaignID(1), "", 404, "not_found"},
	}
	for _, tc := range cases {
		status, body := doReq(t, ts, tc.method, tc.path, k, tc.body)
		if status != tc.status || (tc.code != "" && body["error"] != tc.code) {
			t.Errorf("%s: HTTP %d %v, want %d %q", tc.name, status, body, tc.status, tc.code)
		}
	}
	_, body := doReq(t, ts, "GET", "/analytics/campaigns/"+CampaignID(1), k, "")
	c, _ := body["campaign"].(map[string]any)
	if c["status"] != "paused" || c["agent"] != agent || c["product"] != "P" {
		t.Errorf("analytics %v", body)
	}
	_, body = doReq(t, ts, "DELETE", "/workspaces/"+ws, k, "")
	stats, _ := body["stats"].(map[string]any)
	if stats["agentsUnassigned"] != 1.0 || stats["campaignsUpdated"] != 1.0 {
		t.Errorf("delete answer %v", body)
	}
	ts.SetAgencyPlan("", false, 0)
	if status, body := doReq(t, ts, "GET", "/workspaces", k, ""); status != 403 || !strings.Contains(fmt.Sprint(body["message"]), "Agency") {
		t.Errorf("without the Agency plan: %d %v", status, body)
	}
}
