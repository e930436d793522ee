package kakiyo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Benchmarks of the client's request and decode path (make bench runs them
// with -benchmem). The server answers from memory, so the figures are the
// client's own cost plus loopback HTTP.

func agentJSON(i int) map[string]any {
	return map[string]any{
		"id": fmt.Sprintf("agent%015d", i), "status": "running", "name": "Jane Doe", "login": "jane@example.com",
		"country": "FR", "avatar": "https://example.com/a.jpg", "nextTask": "2026-06-16T10:30:00Z",
		"usage": map[string]any{"invitations": 45, "invitationsDaily": 15, "messages": 120, "messagesDaily": 25,
			"nextInvitation": "2026-06-16T10:30:00Z", "nextMessage": "2026-06-16T11:00:00Z",
			"workingHours": map[string]any{"days": "1:1:1:1:1:0:0", "start": "09:00", "stop": "17:00", "timezone": 0}},
		"alerts": []any{map[string]any{"type": "auth", "subType": "2fa_required", "message": "Enter the code", "severity": "warning"}},
	}
}

func benchServer(b *testing.B, body []byte) *Client {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, APIKey: testKey, RequestsPerMinute: -1})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkGetAgent(b *testing.B) {
	body, _ := json.Marshal(agentJSON(1))
	c := benchServer(b, body)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetAgent(ctx, "agent000000000000001"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeleteAgent(b *testing.B) {
	c := benchServer(b, []byte(`{"message":"Agent deleted successfully"}`))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.DeleteAgent(ctx, "agent000000000000001"); err != nil {
			b.Fatal(err)
		}
	}
}

func agentListJSON(n int) []byte {
	list := make([]any, n)
	for i := range list {
		list[i] = agentJSON(i)
	}
	body, _ := json.Marshal(map[string]any{"agents": list, "total": n})
	return body
}

func BenchmarkListAgents10k(b *testing.B) {
	c := benchServer(b, agentListJSON(10000))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if as, err := c.ListAgents(ctx); err != nil || len(as) != 10000 {
			b.Fatal(err, len(as))
		}
	}
}

func BenchmarkDecodeAgentPage10k(b *testing.B) {
	body := agentListJSON(10000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if p, err := decodeAgentPage(body); err != nil || len(p.items) != 10000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkAPIError(b *testing.B) {
	body := []byte(`{"error":"invalid_status","message":"Agent can only be deleted when status is ended","currentStatus":"running"}`)
	b.ReportAllocs()
	for b.Loop() {
		if e := newAPIError("DELETE", "/agents/a", 409, body); e.CurrentStatus != "running" {
			b.Fatal(e)
		}
	}
}
