package kakiyo

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
		"cursor loops":      {`{"agents":[{"id":"a"}],"nextCursor":"same"}`, "came back twice"},
		"endless total":     {`{"agents":[{"id":"a"}],"total":1000000}`, "giving up"},
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
