package kakiyo

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A 2xx answer that is not the object is a *DecodeError, never a value:
// an error envelope, HTML, an empty body where one is expected, another
// agent's id, no id at all.
func TestAnswersMustBeWhatTheyClaim(t *testing.T) {
	cases := map[string]struct {
		body string
		want string
	}{
		"error envelope":  {`{"error":"not_found","message":"Agent not found"}`, "error in Kakiyo's format"},
		"HTML":            {`<!DOCTYPE html><html>portal</html>`, "not JSON"},
		"empty":           {``, "empty"},
		"another agent":   {`{"id":"a2","status":"running"}`, `"a2", not the agent "a1"`},
		"no id":           {`{"status":"running"}`, "names no agent id"},
		"only a message":  {`{"message":"ok"}`, "names no agent id"},
		"wrapped, no id":  {`{"agent":{"status":"running"}}`, "names no agent id"},
		"not an object":   {`[{"id":"a1"}]`, "cannot unmarshal array"},
		"wrong-typed key": {`{"id":7}`, "cannot unmarshal number"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, _ := serve(t, 200, tc.body)
			a, err := c.GetAgent(context.Background(), "a1")
			var de *DecodeError
			if !errors.As(err, &de) || a != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("GetAgent = %v, %v; want a *DecodeError containing %q", a, err, tc.want)
			}
			if c.Trusted() {
				t.Error("an answer that is not the object must not make the base URL trusted")
			}
		})
	}
	// The wrapped agent of the right id is the agent.
	c, _ := serve(t, 200, `{"agent":{"id":"a1","status":"running"}}`)
	if a, err := c.GetAgent(context.Background(), "a1"); err != nil || a.Status != StatusRunning || !c.Trusted() {
		t.Errorf("wrapped agent: %+v, %v (trusted %v)", a, err, c.Trusted())
	}
	// A 2xx to a DELETE must be JSON or empty: an HTML page is not Kakiyo
	// saying the agent was deleted.
	c, _ = serve(t, 200, `<html>ok</html>`)
	if err := c.DeleteAgent(context.Background(), "a1"); err == nil {
		t.Error("DELETE answered with HTML must fail")
	}
	c, _ = serve(t, 200, `{"error":"internal_error","message":"An internal error occurred"}`)
	if err := c.DeleteAgent(context.Background(), "a1"); err == nil {
		t.Error("DELETE answered 200 with an error envelope must fail")
	}
	c, _ = serve(t, 204, ``)
	if err := c.DeleteAgent(context.Background(), "a1"); err != nil || c.Trusted() {
		t.Errorf("an empty 204 to a DELETE is a success (%v), which proves nothing of base URL (trusted %v)", err, c.Trusted())
	}
}

// A create whose 2xx answer is not the new object was handled by Kakiyo: its
// outcome is unknown (MayHaveCreated), for every object without an
// idempotency key.
func TestCreateAnswerThatIsNotTheObjectIsALostAnswer(t *testing.T) {
	for _, body := range []string{`<html>created?</html>`, `{"message":"ok"}`, `{"error":"internal_error","message":"x"}`, ``} {
		c, _ := serve(t, 201, body)
		creates := map[string]func() error{
			"agent":     func() error { _, err := c.CreateAgent(context.Background()); return err },
			"webhook":   func() error { _, err := c.CreateWebhook(context.Background(), WebhookInput{Name: "n"}); return err },
			"workspace": func() error { _, err := c.CreateWorkspace(context.Background(), "w"); return err },
			"campaign":  func() error { _, err := c.CreateCampaign(context.Background(), CampaignInput{Name: "cmp"}); return err },
			"DNC entry": func() error { _, err := c.AddDNC(context.Background(), "in/jane"); return err },
		}
		for noun, create := range creates {
			err := create()
			if !MayHaveCreated(err) {
				t.Errorf("%s answered %q: MayHaveCreated is false (%v)", noun, body, err)
			}
			if strings.Contains(err.Error(), "before Kakiyo answered") {
				t.Errorf("%s: the error must not say Kakiyo did not answer: %v", noun, err)
			}
		}
	}
}

// Gone: only Kakiyo's not_found, through a base URL an answer has shown to
// be the Kakiyo API. When no answer has, one GET /verify decides (once).
func TestGoneNeedsKakiyoToSaySo(t *testing.T) {
	t.Run("a wrong base URL answers not_found everywhere", func(t *testing.T) {
		var verifies atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/verify" {
				verifies.Add(1)
			}
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error":"not_found","message":"Route not found"}`))
		}))
		t.Cleanup(srv.Close)
		c, _ := New(Config{BaseURL: srv.URL, APIKey: testKey, MaxRetries: -1})
		_, err := c.GetAgent(context.Background(), "a1")
		gone, gerr := c.Gone(context.Background(), err)
		var nk *NotKakiyoError
		if gone || !errors.As(gerr, &nk) || !strings.Contains(gerr.Error(), srv.URL) {
			t.Fatalf("Gone = %v, %v; want a *NotKakiyoError naming the base URL", gone, gerr)
		}
		if _, gerr := c.Gone(context.Background(), err); !errors.As(gerr, &nk) {
			t.Errorf("second Gone: %v", gerr)
		}
		if n := verifies.Load(); n != 1 {
			t.Errorf("GET /verify sent %d times, want 1 (its answer does not change within a run)", n)
		}
	})
	t.Run("verified once, then trusted", func(t *testing.T) {
		var verifies atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/verify" {
				verifies.Add(1)
				_, _ = w.Write([]byte(`{"status":"success","message":"API key is valid"}`))
				return
			}
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error":"not_found","message":"Agent not found"}`))
		}))
		t.Cleanup(srv.Close)
		c, _ := New(Config{BaseURL: srv.URL, APIKey: testKey, MaxRetries: -1})
		for range 3 {
			_, err := c.GetAgent(context.Background(), "a1")
			if gone, gerr := c.Gone(context.Background(), err); !gone || gerr != nil {
				t.Fatalf("Gone = %v, %v", gone, gerr)
			}
		}
		if n := verifies.Load(); n != 1 {
			t.Errorf("GET /verify sent %d times, want 1", n)
		}
	})
	t.Run("an HTML 404 is never gone, and costs no call", func(t *testing.T) {
		c, s := serve(t, 404, `<html>404 Not Found</html>`)
		err := c.DeleteAgent(context.Background(), "a1")
		if gone, gerr := c.Gone(context.Background(), err); gone || gerr != nil {
			t.Errorf("Gone = %v, %v; want false, nil (the caller reports the 404)", gone, gerr)
		}
		if n := len(s.reqs); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("a verify that is not Kakiyo's answer does not trust", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/verify" {
				_, _ = w.Write([]byte(`<html>welcome</html>`))
				return
			}
			w.WriteHeader(404)
			_, _ = w.Write([]byte(`{"error":"not_found","message":"Agent not found"}`))
		}))
		t.Cleanup(srv.Close)
		c, _ := New(Config{BaseURL: srv.URL, APIKey: testKey, MaxRetries: -1})
		_, err := c.GetAgent(context.Background(), "a1")
		if gone, gerr := c.Gone(context.Background(), err); gone || gerr == nil {
			t.Errorf("Gone = %v, %v", gone, gerr)
		}
	})
}

func TestRedactURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://ops:PASSWORD@api.kakiyo.com/v1?x=1#f": "https://api.kakiyo.com/v1",
		"https://api.kakiyo.com/v1":                    "https://api.kakiyo.com/v1",
		"/relative?token=t":                            "/relative",
		"":                                             "(a URL that cannot be shown)",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// An answer that quotes the request (a validation message repeating the
// body, a proxy's error page showing it) never carries the API key or a
// secret the client sent into an error.
func TestErrorsNeverQuoteSecrets(t *testing.T) {
	const secret, password = "whsec-0123456789abcdef", "LinkedIn-Pa55word!"
	for _, body := range []string{
		`{"error":"validation_error","message":"bad webhook {\"secret\":\"` + secret + `\"} for key ` + testKey + `"}`,
		`<html><pre>password=` + password + ` Authorization: Bearer ` + testKey + `</pre></html>`,
	} {
		for _, status := range []int{400, 401, 502, 200} {
			c, _ := serve(t, status, body)
			_, werr := c.CreateWebhook(context.Background(), WebhookInput{Name: "n", URL: "https://x", Events: []string{"*"}, Secret: ptrString(secret)})
			serr := c.SetupAgent(context.Background(), "a1", AgentSetup{Login: "jane@example.com", Password: password})
			for _, tc := range []struct {
				err     error
				secrets map[string]string
			}{
				{werr, map[string]string{"the secret": secret, "the API key": testKey}},
				{serr, map[string]string{"the secret": secret, "the password": password, "the API key": testKey}},
			} {
				if tc.err == nil {
					t.Errorf("HTTP %d: no error", status)
					continue
				}
				for what, s := range tc.secrets {
					if strings.Contains(tc.err.Error(), s) {
						t.Errorf("HTTP %d: the error shows %s: %v", status, what, tc.err)
					}
					var apiErr *APIError
					if errors.As(tc.err, &apiErr) && strings.Contains(apiErr.Describe(), s) {
						t.Errorf("HTTP %d: Describe shows %s", status, what)
					}
				}
			}
		}
	}
}

func ptrString(s string) *string { return &s }
