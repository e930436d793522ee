package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

func TestListAgentsShapesAndPaging(t *testing.T) {
	shapes := map[string]kakiyotest.ListShape{
		"agents": kakiyotest.ListObjectKey, "bare": kakiyotest.ListBareArray, "data": kakiyotest.ListDataKey,
		"items": kakiyotest.ListItemsKey, "nested": kakiyotest.ListNestedData,
	}
	pagings := map[string]kakiyotest.Paging{
		"none": kakiyotest.PagingNone, "offset": kakiyotest.PagingOffset, "cursor": kakiyotest.PagingCursor,
	}
	for sn, shape := range shapes {
		for pn, paging := range pagings {
			if shape == kakiyotest.ListBareArray && paging != kakiyotest.PagingNone {
				continue // a bare array has nowhere to say there is more
			}
			t.Run(sn+"/"+pn, func(t *testing.T) {
				srv := kakiyotest.Start(t)
				srv.SetAgentList(shape, paging, 4)
				for i := 0; i < 10; i++ {
					srv.AddAgent(kakiyotest.AgentSeed{Status: []string{"running", "ended"}[i%2]})
				}
				srv.AddAgent(kakiyotest.AgentSeed{Team: "team_other"})
				c, err := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey})
				if err != nil {
					t.Fatal(err)
				}
				agents, err := c.ListAgents(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if len(agents) != 10 {
					t.Fatalf("got %d agents, want the team's 10", len(agents))
				}
				seen := map[string]bool{}
				for _, a := range agents {
					if seen[a.ID] || a.Status == "" {
						t.Errorf("duplicate or empty agent %+v", a)
					}
					seen[a.ID] = true
				}
				wantPages := 1
				if paging != kakiyotest.PagingNone {
					wantPages = 3 // 4 + 4 + 2
				}
				if n := srv.Count("GET", "/agents"); n != wantPages {
					t.Errorf("%d pages requested, want %d", n, wantPages)
				}
			})
		}
	}
}

func TestListAgentsHostilePages(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"not JSON":          {`<html>`, "not the expected JSON"},
		"JSON string":       {`"agents"`, "neither a JSON array nor a JSON object"},
		"no list":           {`{"message":"ok"}`, "no list of agents"},
		"items not agents":  {`{"agents":[1,2]}`, "not agents"},
		"agent without id":  {`{"agents":[{"status":"running"}]}`, "has no id"},
		"cursor loops":      {`{"agents":[{"id":"a"}],"nextCursor":"same"}`, "does not advance"},
		"endless total":     {`{"agents":[{"id":"a"}],"total":1000000}`, "does not advance"},
		"status wrong type": {`[{"id":"a","status":7}]`, "not the expected JSON"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			c, _ := New(Config{BaseURL: srv.URL, APIKey: "k", MaxRetries: -1, RequestsPerMinute: -1})
			_, err := c.ListAgents(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// A listing whose pages do not advance stops one page after the last new
// item, with an error: never the maxListPages calls (and credits) that a
// huge total or a looping cursor would otherwise cost. Pages that repeat
// some items (the list moved between pages) but bring new ones go on, and
// the repeated items are served once.
func TestListStopsWhenPagesDoNotAdvance(t *testing.T) {
	cases := map[string]struct {
		pages     []string // page n answers pages[min(n, len-1)]
		wantCalls int
		wantIDs   int
		wantErr   string
	}{
		"offsets repeat one page under a huge total": {pages: []string{`{"agents":[{"id":"a"},{"id":"b"}],"total":100000,"limit":2}`},
			wantCalls: 2, wantErr: "does not advance"},
		"a cursor that changes but pages that repeat": {pages: []string{`{"agents":[{"id":"a"}],"nextCursor":"c1"}`,
			`{"agents":[{"id":"a"}],"nextCursor":"c2"}`}, wantCalls: 2, wantErr: "does not advance"},
		"an empty page ends a total never reached": {pages: []string{`{"agents":[{"id":"a"}],"total":5}`, `{"agents":[],"total":5}`},
			wantCalls: 2, wantIDs: 1},
		"a shifted page brings one repeat and new items": {pages: []string{`{"agents":[{"id":"a"},{"id":"b"}],"total":5,"limit":2}`,
			`{"agents":[{"id":"b"},{"id":"c"}],"total":5,"limit":2}`, `{"agents":[{"id":"d"}],"total":5,"limit":2}`},
			wantCalls: 3, wantIDs: 4},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				fmt.Fprint(w, tc.pages[min(calls, len(tc.pages)-1)])
				calls++
			}))
			defer srv.Close()
			c, _ := New(Config{BaseURL: srv.URL, APIKey: "k", MaxRetries: -1, RequestsPerMinute: -1})
			agents, err := c.ListAgents(context.Background())
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want it to contain %q", err, tc.wantErr)
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.wantErr == "" && len(agents) != tc.wantIDs:
				t.Errorf("%d agents, want %d: %+v", len(agents), tc.wantIDs, agents)
			}
			if calls != tc.wantCalls {
				t.Errorf("%d calls, want %d", calls, tc.wantCalls)
			}
		})
	}
}

// A listing that answers 404 is a wrong base URL, never an empty team, and
// never a not_found that could make an object "gone".
func TestListAnswering404IsAWrongBaseURL(t *testing.T) {
	c, _ := serve(t, 404, `{"error":"not_found","message":"Route not found"}`)
	_, err := c.ListAgents(context.Background())
	var lm *ListMissingError
	if !errors.As(err, &lm) || IsNotFound(err) || !strings.Contains(err.Error(), "base URL") {
		t.Fatalf("want a *ListMissingError that is not a not_found and names the base URL, got %T %v", err, err)
	}
}

func TestListAgentsHasMoreFalseEndsPaging(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls++
		fmt.Fprint(w, `{"agents":[{"id":"a"}],"nextCursor":"a","hasMore":false}`)
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, APIKey: "k", MaxRetries: -1, RequestsPerMinute: -1})
	if agents, err := c.ListAgents(context.Background()); err != nil || len(agents) != 1 || calls != 1 {
		t.Errorf("agents %v, err %v, calls %d", agents, err, calls)
	}
}

// An item of GET /agents that lacks part of an agent is marked Summary, so
// that the provider reads that agent by id; a whole item is not.
func TestListAgentsMarksSummaries(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.AddAgent(kakiyotest.AgentSeed{})
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey})
	for _, omit := range [][]string{nil, {"usage"}, {"alerts"}, {"status"}} {
		srv.SetAgentListOmits(omit...)
		agents, err := c.ListAgents(context.Background())
		if err != nil || len(agents) != 1 {
			t.Fatalf("omit %v: %v, %v", omit, agents, err)
		}
		if want := omit != nil; agents[0].Summary != want {
			t.Errorf("omit %v: Summary %v, want %v", omit, agents[0].Summary, want)
		}
	}
	for body, want := range map[string]bool{
		`{"id":"a","status":"running","alerts":[],"usage":{"invitations":1}}`:                         true, // no workingHours
		`{"id":"a","status":"running","alerts":null,"usage":{"workingHours":{}}}`:                     true, // null alerts
		`{"id":"a","status":"running","alerts":[],"usage":{"workingHours":{"days":"1:1:1:1:1:0:0"}}}`: false,
	} {
		var a Agent
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		if a.markSummary(); a.Summary != want {
			t.Errorf("%s: Summary %v, want %v", body, a.Summary, want)
		}
	}
}

// Pages reach the caller one by one, as they arrive.
func TestListAgentPagesOneByOne(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetAgentList(kakiyotest.ListObjectKey, kakiyotest.PagingCursor, 4)
	for i := 0; i < 10; i++ {
		srv.AddAgent(kakiyotest.AgentSeed{})
	}
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey})
	var sizes []int
	err := c.ListAgentPages(context.Background(), func(agents []Agent) error {
		sizes = append(sizes, len(agents))
		if got := srv.Count("GET", "/agents"); got != len(sizes) {
			t.Errorf("page %d handed over after %d requests", len(sizes), got)
		}
		return nil
	})
	if err != nil || fmt.Sprint(sizes) != "[4 4 2]" {
		t.Errorf("pages %v, err %v", sizes, err)
	}
	stop := errors.New("enough")
	if err := c.ListAgentPages(context.Background(), func([]Agent) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("err %v, want the callback's", err)
	}
}

// A page whose answer is cut off mid-way is a transport failure, retried
// like any GET, not a malformed answer.
func TestListAgentsCutAnswerRetried(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls++
		body := `{"agents":[{"id":"a","status":"running"},{"id":"b","status":"running"}]}`
		if calls == 1 {
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			_, _ = w.Write([]byte(body[:20]))
			panic(http.ErrAbortHandler) // drop the connection mid-answer
		}
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, APIKey: "k", RetryWaitMin: time.Millisecond, RequestsPerMinute: -1})
	agents, err := c.ListAgents(context.Background())
	if err != nil || len(agents) != 2 || calls != 2 {
		t.Errorf("agents %v, err %v, calls %d", agents, err, calls)
	}
}

// A malformed page names what came, from the first bytes of the answer.
func TestListAgentsMalformedShowsTheAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"agents":[{"id":"a"},`+strings.Repeat(" ", 10000)+`oops]}`)
	}))
	defer srv.Close()
	c, _ := New(Config{BaseURL: srv.URL, APIKey: "k", MaxRetries: -1, RequestsPerMinute: -1})
	_, err := c.ListAgents(context.Background())
	var de *DecodeError
	if !errors.As(err, &de) || !strings.HasPrefix(de.Body, `{"agents":[{"id":"a"},`) || len(de.Body) > maxSnippet+len("… (truncated)") {
		t.Errorf("err %v", err)
	}
}
