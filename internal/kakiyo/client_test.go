package kakiyo

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const testKey = "0123456789012345678901234567890123456789"

type seen struct {
	mu   sync.Mutex
	reqs []*http.Request
	body []string
}

func (s *seen) last() (*http.Request, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs[len(s.reqs)-1], s.body[len(s.body)-1]
}

// serve answers every request with status and body, and records requests.
func serve(t *testing.T, status int, body string) (*Client, *seen) {
	t.Helper()
	s := &seen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, r)
		s.body = append(s.body, string(b))
		s.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	// No retries here: these tests are about one exchange (retry_test.go
	// covers retries).
	c, err := New(Config{BaseURL: srv.URL + "/v1/", APIKey: testKey, UserAgent: "terraform-provider-kakiyo/test",
		MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func TestRequestHeadersAndPathPrefix(t *testing.T) {
	c, s := serve(t, 200, `{"id":"a1","message":"ok"}`)
	ctx := context.Background()
	if err := c.UpdateAgent(ctx, "a/1 x", AgentUpdate{Settings: []Setting{{Key: SettingSkipInNetwork, Value: true}}}); err != nil {
		t.Fatal(err)
	}
	r, body := s.last()
	if r.Method != "PUT" || r.URL.EscapedPath() != "/v1/agents/a%2F1%20x" {
		t.Errorf("got %s %s, want PUT /v1/agents/a%%2F1%%20x", r.Method, r.URL.EscapedPath())
	}
	for h, want := range map[string]string{
		"Authorization": "Bearer " + testKey,
		"Accept":        "application/json",
		"Content-Type":  "application/json",
		"User-Agent":    "terraform-provider-kakiyo/test",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	if body != `{"settings":[{"key":"skipInNetwork","value":true}]}` {
		t.Errorf("body = %s", body)
	}

	if err := c.DeleteAgent(ctx, "abc"); err != nil {
		t.Fatal(err)
	}
	r, body = s.last()
	if r.Method != "DELETE" || r.URL.Path != "/v1/agents/abc" || body != "" || r.Header.Get("Content-Type") != "" {
		t.Errorf("DELETE sent %s %s body %q content-type %q", r.Method, r.URL.Path, body, r.Header.Get("Content-Type"))
	}
}

func TestUpdateSendsOnlySetSections(t *testing.T) {
	c, s := serve(t, 200, `{}`)
	five := int64(5)
	err := c.UpdateAgent(context.Background(), "a", AgentUpdate{Limits: &Limits{InvitationsMin: &five}})
	if err != nil {
		t.Fatal(err)
	}
	if _, body := s.last(); body != `{"limits":{"invitationsMin":5}}` {
		t.Errorf("body = %s", body)
	}
}

func TestAPIErrorDecoding(t *testing.T) {
	cases := []struct {
		name          string
		status        int
		body          string
		notFound      bool
		invalidStatus bool
		forbidden     bool
		unauthorized  bool
		code, current string
		inError       []string
	}{
		{name: "invalid_status 400", status: 400, body: `{"error":"invalid_status","message":"Agent can only be deleted when status is ended","currentStatus":"running"}`,
			invalidStatus: true, code: "invalid_status", current: "running", inError: []string{"HTTP 400", "invalid_status", `"running"`}},
		{name: "invalid_status 409", status: 409, body: `{"error":"invalid_status","message":"m","currentStatus":"paused"}`,
			invalidStatus: true, code: "invalid_status", current: "paused"},
		{name: "invalid_status 422", status: 422, body: `{"error":"invalid_status","message":"m","currentStatus":"setup_needed"}`,
			invalidStatus: true, code: "invalid_status", current: "setup_needed"},
		{name: "invalid_status without currentStatus", status: 409, body: `{"error":"invalid_status","message":"m"}`,
			invalidStatus: true, code: "invalid_status"},
		{name: "not_found 404", status: 404, body: `{"error":"not_found","message":"Agent not found"}`, notFound: true, code: "not_found"},
		// Only Kakiyo's own answer says "not found": a 404 in its error format
		// with the not_found code. A proxy's HTML 404, or not_found on another
		// status, is an error like any other.
		{name: "404 with an HTML page", status: 404, body: `<html>nope</html>`, inError: []string{"HTTP 404", "<html>nope</html>"}},
		{name: "404 with another code", status: 404, body: `{"error":"route_missing","message":"x"}`, code: "route_missing"},
		{name: "empty 404", status: 404, body: ``, inError: []string{"HTTP 404", "empty body"}},
		{name: "not_found code on 400", status: 400, body: `{"error":"not_found","message":"Agent not found"}`, code: "not_found"},
		{name: "forbidden", status: 403, body: `{"error":"forbidden","message":"You do not have access to this agent"}`, forbidden: true, code: "forbidden"},
		{name: "subscription inactive is not forbidden", status: 403, body: `{"error":"subscription_inactive","message":"x"}`, code: "subscription_inactive"},
		{name: "missing key", status: 401, body: `{"error":"missing_api_key","message":"x"}`, unauthorized: true, code: "missing_api_key"},
		{name: "bad key format", status: 401, body: `{"error":"invalid_api_key_format","message":"x"}`, unauthorized: true, code: "invalid_api_key_format"},
		{name: "unknown key", status: 401, body: `{"error":"invalid_api_key","message":"x"}`, unauthorized: true, code: "invalid_api_key"},
		{name: "HTML 502", status: 502, body: "<html>\n<body>Bad Gateway</body></html>", inError: []string{"HTTP 502", "Bad Gateway"}},
		{name: "empty 500", status: 500, body: "", inError: []string{"HTTP 500", "empty body"}},
		{name: "wrong types", status: 409, body: `{"error":123,"message":["x"],"currentStatus":{}}`, inError: []string{"HTTP 409"}},
		{name: "JSON array", status: 400, body: `[1,2]`, inError: []string{"HTTP 400", "[1,2]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, tc.status, tc.body)
			err := c.DeleteAgent(context.Background(), "a1")
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want *APIError, got %T %v", err, err)
			}
			if apiErr.StatusCode != tc.status || apiErr.Code != tc.code || apiErr.CurrentStatus != tc.current {
				t.Errorf("decoded %+v", apiErr)
			}
			if IsNotFound(err) != tc.notFound || IsInvalidStatus(err) != tc.invalidStatus ||
				IsForbidden(err) != tc.forbidden || IsUnauthorized(err) != tc.unauthorized {
				t.Errorf("predicates: notFound=%v invalidStatus=%v forbidden=%v unauthorized=%v",
					IsNotFound(err), IsInvalidStatus(err), IsForbidden(err), IsUnauthorized(err))
			}
			if CurrentStatus(err) != tc.current {
				t.Errorf("CurrentStatus = %q", CurrentStatus(err))
			}
			for _, want := range tc.inError {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err.Error(), want)
				}
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(apiErr.Describe(), testKey) {
				t.Error("error reveals the API key")
			}
		})
	}
}

func TestHugeErrorBodyIsTruncated(t *testing.T) {
	c, _ := serve(t, 500, strings.Repeat("é<html>", 10000))
	err := c.DeleteAgent(context.Background(), "a1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatal(err)
	}
	if len(apiErr.Body) > maxSnippet+len("… (truncated)") || !strings.HasSuffix(apiErr.Body, "(truncated)") {
		t.Errorf("body snippet has %d bytes", len(apiErr.Body))
	}
	if !strings.HasPrefix(apiErr.Body, "é<html>") || strings.ContainsRune(apiErr.Body, '\uFFFD') {
		t.Errorf("snippet was cut inside a rune: %q", apiErr.Body[:20])
	}
}

func TestNonJSONSuccessIsDecodeError(t *testing.T) {
	c, _ := serve(t, 200, "<html>maintenance</html>")
	_, err := c.GetAgent(context.Background(), "a1")
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("want *DecodeError, got %T %v", err, err)
	}
	if !strings.Contains(err.Error(), "HTTP 200") || !strings.Contains(err.Error(), "maintenance") {
		t.Errorf("error %q", err)
	}
}

func TestCreateAgentResponseShapes(t *testing.T) {
	cases := map[string]struct {
		body, status string
		wantErr      bool
	}{
		"bare agent":     {body: `{"id":"a1","status":"setup_needed"}`, status: "setup_needed"},
		"wrapped agent":  {body: `{"agent":{"id":"a1","status":"setup_needed"},"message":"ok"}`, status: "setup_needed"},
		"data envelope":  {body: `{"data":{"id":"a1","status":"setup_needed"}}`, status: "setup_needed"},
		"id and message": {body: `{"id":"a1","message":"Agent created successfully"}`},
		"no id":          {body: `{"message":"Agent created successfully"}`, wantErr: true},
		"empty body":     {body: ``, wantErr: true},
		"wrong id type":  {body: `{"id":42}`, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, s := serve(t, 200, tc.body)
			a, err := c.CreateAgent(context.Background())
			if r, _ := s.last(); r.Method != "POST" || r.URL.Path != "/v1/agents" {
				t.Errorf("sent %s %s", r.Method, r.URL.Path)
			}
			if tc.wantErr {
				if err == nil {
					t.Fatalf("want an error, got %+v", a)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.ID != "a1" || a.Status != tc.status {
				t.Errorf("got %+v", a)
			}
		})
	}
}

func TestGetAgentToleratesNullsAndAbsentFields(t *testing.T) {
	c, _ := serve(t, 200, `{"id":"a1","status":"setup_needed","login":null,"nextTask":null,"usage":{"workingHours":{"days":"1:1:1:1:1:0:0","start":"09:00","stop":"17:00","timezone":5.5}},"alerts":null}`)
	a, err := c.GetAgent(context.Background(), "a1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Login != nil || a.Name != nil || a.Avatar != nil || a.Usage.Invitations != nil || len(a.Alerts) != 0 {
		t.Errorf("absent fields decoded as values: %+v", a)
	}
	if *a.Usage.WorkingHours.Timezone != 5.5 {
		t.Errorf("timezone %v", *a.Usage.WorkingHours.Timezone)
	}
}

func TestTransportErrorNamesRequestNotKey(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var logged []RequestInfo
	c, err := New(Config{BaseURL: url, APIKey: testKey, MaxRetries: -1,
		OnResponse: func(_ context.Context, i RequestInfo) { logged = append(logged, i) }})
	if err != nil {
		t.Fatal(err)
	}
	err = c.DeleteAgent(context.Background(), "a1")
	if err == nil || !strings.Contains(err.Error(), "DELETE /agents/a1") || strings.Contains(err.Error(), testKey) {
		t.Errorf("error %v", err)
	}
	if len(logged) != 1 || logged[0].Err == nil || logged[0].Path != "/agents/a1" {
		t.Errorf("logged %+v", logged)
	}
}

func TestParseBaseURL(t *testing.T) {
	good := map[string]string{
		"https://api.kakiyo.com/v1":       "https://api.kakiyo.com/v1",
		"https://api.kakiyo.com/v1/":      "https://api.kakiyo.com/v1",
		"http://127.0.0.1:8080/prefix/v1": "http://127.0.0.1:8080/prefix/v1",
		" https://x.example ":             "https://x.example",
	}
	for in, want := range good {
		u, err := ParseBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, in := range []string{"", "api.kakiyo.com", "ftp://x", "https://", "https://x/v1?a=b", "https://u:p@x/v1", "://"} {
		if _, err := ParseBaseURL(in); err == nil {
			t.Errorf("ParseBaseURL(%q) accepted", in)
		}
	}
	if _, err := New(Config{APIKey: ""}); err == nil {
		t.Error("New accepted an empty key")
	}
}

func TestBaseURLOnlyOverTLS(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.kakiyo.com/v1": true, "http://127.0.0.1:8787/v1": true, "http://127.9.9.9/v1": true,
		"http://localhost:1/v1": true, "http://LOCALHOST/v1": true, "http://[::1]:80/v1": true,
		"http://api.kakiyo.com/v1": false, "http://10.0.0.1/v1": false, "http://localhost.example.com/v1": false,
		"http://[::ffff:127.0.0.1]/": true, "http://128.0.0.1/": false, "http://0.0.0.0/": false,
	} {
		_, err := ParseBaseURL(raw)
		if (err == nil) != ok {
			t.Errorf("%s: err %v, want ok=%v", raw, err, ok)
		}
		if err != nil && !ok && strings.Contains(raw, "http://") && !strings.Contains(err.Error(), "clear text") {
			t.Errorf("%s: the error must say why: %v", raw, err)
		}
	}
}

// keySeen records the Authorization header of every request.
func keySeen(t *testing.T, tls bool, h http.HandlerFunc) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var seen []string
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		h(w, r)
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(handler)
	} else {
		srv = httptest.NewServer(handler)
	}
	t.Cleanup(srv.Close)
	return srv, &seen
}

// No redirect is followed, whatever it points at: Kakiyo documents none, and
// following one would send the request again, body included (a LinkedIn
// password, a webhook secret), to wherever the answer says. The answer is a
// *RedirectError that names where it pointed (without user info or query).
func TestRedirectsAreNotFollowed(t *testing.T) {
	ok := func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"id":"a1","status":"running"}`)) }
	target, targetSeen := keySeen(t, false, ok)
	redirectTo := func(u string, status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, u+r.URL.Path+"?token=SECRET", status)
		}
	}
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		// Another host: here another port of 127.0.0.1, which Go's client
		// alone would treat as the same host and send the key to.
		origin, originSeen := keySeen(t, false, redirectTo(strings.Replace(target.URL, "127.0.0.1", "ops:PASSWORD@127.0.0.1", 1), status))
		c, err := New(Config{BaseURL: origin.URL, APIKey: testKey, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		err = c.SetupAgent(context.Background(), "a1", AgentSetup{Login: "jane@example.com", Password: "LINKEDIN-PASSWORD"})
		var re *RedirectError
		if !errors.As(err, &re) || re.StatusCode != status {
			t.Fatalf("%d: want a *RedirectError, got %T %v", status, err, err)
		}
		for _, leak := range []string{"PASSWORD", "SECRET", "LINKEDIN-PASSWORD"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%d: the error shows %s: %v", status, leak, err)
			}
		}
		if !strings.Contains(err.Error(), "not followed") || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("%d: the error must say where it pointed and that it was not followed: %v", status, err)
		}
		if got := *originSeen; len(got) != 1 {
			t.Errorf("%d: origin saw %q", status, got)
		}
	}
	if got := *targetSeen; len(got) != 0 {
		t.Errorf("the other host got %d requests", len(got))
	}

	// A redirected create may have been handled (a 303 follows a create that
	// was; a proxy may answer 307 after Kakiyo handled it): its outcome is
	// unknown, and a listing settles it.
	for status, unknown := range map[int]bool{307: true, 308: true, 301: true, 302: true, 303: true} {
		origin, _ := keySeen(t, false, redirectTo(target.URL, status))
		c, _ := New(Config{BaseURL: origin.URL, APIKey: testKey, MaxRetries: -1})
		_, err := c.CreateAgent(context.Background())
		if MayHaveCreated(err) != unknown {
			t.Errorf("create redirected with %d: MayHaveCreated = %v, want %v (%v)", status, MayHaveCreated(err), unknown, err)
		}
	}

	// From https to http: not followed either; nothing sent in clear text.
	plain, plainSeen := keySeen(t, false, ok)
	tlsOrigin, _ := keySeen(t, true, redirectTo(plain.URL, http.StatusFound))
	c, _ := New(Config{BaseURL: tlsOrigin.URL, APIKey: testKey, MaxRetries: -1, HTTPClient: tlsOrigin.Client()})
	_, err := c.GetAgent(context.Background(), "a1")
	if err == nil || len(*plainSeen) != 0 {
		t.Errorf("https to http: %v; the http server saw %q", err, *plainSeen)
	}
}
