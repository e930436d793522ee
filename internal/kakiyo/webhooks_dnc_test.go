package kakiyo

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

func TestWebhookShapes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Webhook
	}{
		{"documented", `{"id":"w1","name":"CRM","url":"https://x","events":["*"],"active":true,"message":"ok"}`,
			Webhook{ID: "w1", Name: "CRM", URL: "https://x", Events: []string{"*"}, Active: ptrTo(true)}},
		{"wrapped, $id, one event as a string", `{"webhook":{"$id":"w2","events":"*","active":false}}`,
			Webhook{ID: "w2", Name: "CRM", URL: "https://crm", Events: []string{"*"}, Active: ptrTo(false)}},
		{"id only", `{"id":"w3","message":"Webhook created successfully"}`,
			Webhook{ID: "w3", Name: "CRM", URL: "https://crm", Events: []string{"a", "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, seen := serve(t, 200, tc.body)
			secret := "s3cret"
			w, err := c.CreateWebhook(context.Background(), WebhookInput{Name: "CRM", URL: "https://crm", Events: []string{"a", "b"}, Secret: &secret})
			if err != nil {
				t.Fatal(err)
			}
			if w.ID != tc.want.ID || w.Name != tc.want.Name || w.URL != tc.want.URL || !slices.Equal(w.Events, tc.want.Events) ||
				(w.Active == nil) != (tc.want.Active == nil) || (w.Active != nil && *w.Active != *tc.want.Active) {
				t.Errorf("got %+v, want %+v", w, tc.want)
			}
			if _, body := seen.last(); body != `{"name":"CRM","url":"https://crm","events":["a","b"],"secret":"s3cret"}` {
				t.Errorf("body %s", body)
			}
		})
	}
	c, _ := serve(t, 200, `{"message":"created"}`)
	if _, err := c.CreateWebhook(context.Background(), WebhookInput{Name: "x"}); !errors.Is(err, errNoWebhookID) {
		t.Errorf("an answer without id: %v", err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// The update's verb is not documented: PUT, and PATCH once PUT answered 405
// (then PATCH straight away).
func TestUpdateWebhookFallsBackToPatch(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetWebhookUpdate(true, false)
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1})
	ctx := context.Background()
	w, err := c.CreateWebhook(ctx, WebhookInput{Name: "CRM", URL: "https://crm.example.com", Events: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"one", "two"} {
		if err := c.UpdateWebhook(ctx, w.ID, WebhookInput{Name: name, URL: "https://crm.example.com", Events: []string{"*"}}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := srv.Webhook(w.ID); got.Name != "two" {
		t.Errorf("webhook %+v", got)
	}
	if put, patch := srv.CountEndpoint("PUT /webhooks/{id}"), srv.CountEndpoint("PATCH /webhooks/{id}"); put != 1 || patch != 2 {
		t.Errorf("%d PUT, %d PATCH; want 1 and 2", put, patch)
	}
	// Another 4xx is not a reason to try PATCH.
	c2, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1})
	srv.SetWebhookUpdate(false, false)
	srv.ResetRequests()
	if err := c2.UpdateWebhook(ctx, "nope", WebhookInput{Name: "x"}); !IsNotFound(err) {
		t.Errorf("unknown webhook: %v", err)
	}
	if n := srv.CountEndpoint("PATCH /webhooks/{id}"); n != 0 {
		t.Errorf("%d PATCH after a 404", n)
	}
}

func TestDNCAgainstTheDouble(t *testing.T) {
	srv := kakiyotest.Start(t)
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1, RequestsPerMinute: -1})
	ctx := context.Background()

	e, err := c.AddDNC(ctx, "https://linkedin.com/in/jane")
	if err != nil || e.ID != kakiyotest.DNCID(1) || e.URL != "https://linkedin.com/in/jane" || e.CreatedAt == "" || e.TeamID == "" {
		t.Fatalf("add: %+v, %v", e, err)
	}
	if _, err := c.AddDNC(ctx, "in/Jane/"); !IsConflict(err) || AddedByEarlierAttempt(err) {
		t.Errorf("second add of one profile: %v", err)
	}
	got, err := c.CheckDNC(ctx, "https://www.linkedin.com/in/JANE/")
	if err != nil || got == nil || got.ID != e.ID {
		t.Errorf("check: %+v, %v", got, err)
	}
	if got, err := c.CheckDNC(ctx, "in/nobody"); err != nil || got != nil {
		t.Errorf("check of an unlisted profile: %+v, %v", got, err)
	}
	if _, err := c.CheckDNC(ctx, "https://example.com/x"); !IsValidation(err) {
		t.Errorf("check of a non-profile: %v", err)
	}

	res, err := c.AddDNCBatch(ctx, []string{"https://linkedin.com/in/jane", "https://linkedin.com/in/joe", "not a url"})
	if err != nil || res.Calls != 1 {
		t.Fatalf("batch: %+v, %v", res, err)
	}
	statuses := []string{res.Details[0].Status, res.Details[1].Status, res.Details[2].Status}
	if !slices.Equal(statuses, []string{DNCDuplicate, DNCAdded, DNCError}) || res.Details[2].Error == "" || res.Details[2].URL != "not a url" {
		t.Errorf("batch details %+v", res.Details)
	}

	for i := range 2400 {
		srv.AddDNCOutOfBand("", "in/p-"+strconv.Itoa(i))
	}
	srv.ResetRequests()
	all, err := c.ListDNC(ctx)
	if err != nil || len(all) != 2402 {
		t.Fatalf("list: %d, %v", len(all), err)
	}
	var queries []string
	for _, r := range srv.Requests() {
		queries = append(queries, r.Query)
	}
	if want := []string{"limit=1000", "limit=1000&offset=1000", "limit=1000&offset=2000"}; !slices.Equal(queries, want) {
		t.Errorf("queries %q, want %q", queries, want)
	}
	if err := c.DeleteDNC(ctx, e.ID); err != nil {
		t.Errorf("delete: %v", err)
	}
	if err := c.DeleteDNC(ctx, e.ID); !IsNotFound(err) {
		t.Errorf("second delete: %v", err)
	}
}

// A batch refused as too large is split in two until it passes; each URL's
// outcome is matched by profile, whatever spelling the answer echoes.
func TestDNCBatchSplitsWhenTooLarge(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetDNCBatchMax(300)
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1, RequestsPerMinute: -1})
	urls := make([]string, 1100)
	for i := range urls {
		urls[i] = "in/Someone-" + strconv.Itoa(i)
	}
	res, err := c.AddDNCBatch(context.Background(), urls)
	if err != nil {
		t.Fatal(err)
	}
	added := 0
	for i, d := range res.Details {
		if d.URL != urls[i] {
			t.Fatalf("detail %d is for %q, want %q", i, d.URL, urls[i])
		}
		if d.Status == DNCAdded {
			added++
		}
	}
	// 1000 refused, 500 refused, 250 accepted: 250-sized batches from then on.
	if added != 1100 || res.Calls != 7 {
		t.Errorf("%d added in %d calls", added, res.Calls)
	}
}

// DNC answers in each plausible shape: the entry under data.entry, under
// data, or bare; an error in a batch detail as a string or an object.
func TestDNCShapes(t *testing.T) {
	for _, body := range []string{
		`{"data":{"entry":{"$id":"d1","url":"https://linkedin.com/in/a","$createdAt":"2026-01-01T00:00:00.000Z"}},"message":"Added"}`,
		`{"data":{"$id":"d1","url":"https://linkedin.com/in/a","$createdAt":"2026-01-01T00:00:00.000Z"}}`,
		`{"id":"d1","url":"https://linkedin.com/in/a","createdAt":"2026-01-01T00:00:00.000Z"}`,
	} {
		c, _ := serve(t, http.StatusCreated, body)
		e, err := c.AddDNC(context.Background(), "https://linkedin.com/in/a")
		if err != nil || e.ID != "d1" || e.CreatedAt != "2026-01-01T00:00:00.000Z" {
			t.Errorf("%s: %+v, %v", body, e, err)
		}
	}
	c, _ := serve(t, http.StatusCreated, `{"data":{"message":"ok"}}`)
	var de *DecodeError
	if _, err := c.AddDNC(context.Background(), "in/a"); !errors.As(err, &de) {
		t.Errorf("an answer without entry: %v", err)
	}
	c, _ = serve(t, http.StatusCreated, `{"data":{"details":[{"url":"https://linkedin.com/in/a","status":"error","error":{"message":"blocked"}},`+
		`{"url":"https://linkedin.com/in/b","status":"error","error":"bad"}]}}`)
	res, err := c.AddDNCBatch(context.Background(), []string{"in/a", "in/b", "in/c"})
	if err != nil || res.Details[0].Error != "blocked" || res.Details[1].Error != "bad" ||
		res.Details[2].Status != DNCError || !strings.Contains(res.Details[2].Error, "not mentioned") {
		t.Errorf("%+v, %v", res, err)
	}
	c, _ = serve(t, 200, `{"data":{"onList":false,"entry":null}}`)
	if e, err := c.CheckDNC(context.Background(), "in/a"); e != nil || err != nil {
		t.Errorf("not listed: %+v, %v", e, err)
	}
}

// A POST /dnc whose answer was lost is retried; the retry's 409 says the
// first attempt listed it.
func TestAddDNCRetryMeetsItsOwnEntry(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.InjectFault("POST", "/dnc", kakiyotest.Fault{Status: 502, AfterHandling: true, Times: 1})
	c := retryClient(t, srv.URL(), newFakeClock(), func(cfg *Config) { cfg.APIKey = kakiyotest.DefaultAPIKey })
	_, err := c.AddDNC(context.Background(), "https://linkedin.com/in/jane")
	if !AddedByEarlierAttempt(err) {
		t.Errorf("want a 409 on a retry: %v", err)
	}
}

// The DNC endpoints keep Kakiyo's documented limits, each its own window:
// 30 removals a minute, 10 batches; the 31st removal and the 11th batch wait.
func TestDNCEndpointsKeepTheirLimits(t *testing.T) {
	srv := kakiyotest.Start(t)
	clock := newFakeClock()
	c := retryClient(t, srv.URL(), clock, func(cfg *Config) {
		cfg.APIKey = kakiyotest.DefaultAPIKey
		cfg.RequestsPerMinute = 0 // the default: 60, and each endpoint's own
	})
	ctx := context.Background()
	for range 30 {
		if err := c.DeleteDNC(ctx, "nope"); !IsNotFound(err) {
			t.Fatal(err)
		}
	}
	if n := len(clock.waits()); n != 0 {
		t.Fatalf("%d waits for 30 removals", n)
	}
	_ = c.DeleteDNC(ctx, "nope")
	if n := len(clock.waits()); n != 1 {
		t.Errorf("the 31st removal: %d waits, want 1", n)
	}
	for i := range 11 {
		if _, err := c.AddDNCBatch(ctx, []string{"https://linkedin.com/in/p-" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(clock.waits()); n != 2 {
		t.Errorf("the 11th batch: %d waits in all, want 2", n)
	}
	for range 60 {
		if _, err := c.CheckDNC(ctx, "in/x"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(clock.waits()); n != 2 {
		t.Errorf("60 checks: %d waits in all, want still 2", n)
	}
}
