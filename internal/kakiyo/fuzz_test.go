package kakiyo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// Fuzz tests for everything that decodes what the API sends: whatever comes
// back, the client answers with a value or an error, never a panic. Seed
// corpora live in testdata/fuzz; run longer with
//   go test ./internal/kakiyo -run '^$' -fuzz FuzzAPIError -fuzztime 1m

var seeds = []string{
	`{"error":"invalid_status","message":"Agent can only be deleted when status is ended","currentStatus":"running"}`,
	`{"error":"not_found","message":"Agent not found"}`,
	`{"id":"a1","status":"setup_needed","login":null,"usage":{"workingHours":{"days":"1:1:1:1:1:0:0","timezone":5.5}},"alerts":[]}`,
	`{"agent":{"id":"a1"}}`, `{"data":{"agents":[{"id":"a"}],"total":3,"offset":0}}`,
	`[{"id":"a"},{"id":"b","status":"ended"}]`, `{"agents":[{"id":"a"}],"nextCursor":"a","hasMore":true}`,
	`<html><body>502 Bad Gateway</body></html>`, ``, `null`, `[]`, `{"error":123}`, `{"usage":"x"}`,
	"\xff\xfe\x00garbage", `{"id":"a","alerts":[{"type":7}]}`, strings.Repeat(`{"a":`, 200),
}

func FuzzAPIError(f *testing.F) {
	for _, s := range seeds {
		f.Add(409, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := newAPIError("DELETE", "/agents/a1", status, body)
		if e == nil || e.StatusCode != status {
			t.Fatalf("lost the status: %+v", e)
		}
		if len(e.Body) > maxSnippet+len("… (truncated)") {
			t.Fatalf("snippet of %d bytes", len(e.Body))
		}
		if utf8.ValidString(string(body)) && !utf8.ValidString(e.Body) {
			t.Fatalf("the snippet cut a valid body inside a rune: %q", e.Body)
		}
		if e.Error() == "" || e.Describe() == "" {
			t.Fatal("empty error text")
		}
		_ = IsNotFound(e) || IsInvalidStatus(e) || IsForbidden(e) || IsUnauthorized(e)
	})
}

func FuzzAgentEnvelope(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := decodeAgentEnvelope(body)
		if err == nil && a == nil {
			t.Fatal("no agent and no error")
		}
	})
}

func FuzzAgentPage(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeAgentPage(body)
		if err != nil {
			return
		}
		if p.total < 0 || p.limit < 0 {
			t.Fatalf("negative paging: %+v", p)
		}
	})
}

func FuzzServerWait(f *testing.F) {
	f.Add("7", `{"resetTime":"2026-01-01T12:00:42Z"}`)
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", `{"resetTime":1767268842}`)
	f.Add("-1", `{"resetTime":-5}`)
	f.Add("99999999999999999999", `{"resetTime":1e308}`)
	f.Fuzz(func(t *testing.T, header, body string) {
		d, ok := serverWait(http.Header{"Retry-After": {header}}, []byte(body), fakeNow)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("wait %s, ok %v", d, ok)
		}
	})
}

// FuzzClientAnswers drives the whole request path with any status and body.
func FuzzClientAnswers(f *testing.F) {
	for _, s := range seeds {
		f.Add(200, s)
		f.Add(409, s)
	}
	var mu sync.Mutex
	var status int
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, APIKey: testKey, MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, st int, b string) {
		if st < 200 || st > 599 {
			return // not a status a server can send
		}
		mu.Lock()
		status, body = st, b
		mu.Unlock()
		ctx := context.Background()
		if a, err := c.GetAgent(ctx, "a1"); err == nil && a == nil {
			t.Fatal("GetAgent: no agent and no error")
		}
		if a, err := c.CreateAgent(ctx); err == nil && (a == nil || a.ID == "") {
			t.Fatal("CreateAgent: no agent id and no error")
		}
		if as, err := c.ListAgents(ctx); err == nil {
			for _, a := range as {
				if a.ID == "" {
					t.Fatal("ListAgents: an agent without id")
				}
			}
		}
		_ = c.DeleteAgent(ctx, "a1")
	})
}
