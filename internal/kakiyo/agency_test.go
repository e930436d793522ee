package kakiyo

import (
	"context"
	"errors"
	"testing"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

func TestWorkspacesAgainstTheDouble(t *testing.T) {
	srv := kakiyotest.Start(t)
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1, RequestsPerMinute: -1})
	ctx := context.Background()
	w, err := c.CreateWorkspace(ctx, "Acme")
	if err != nil || w.ID != kakiyotest.WorkspaceID(1) || w.ClientTeamID == "" || w.CreatedAt == "" {
		t.Fatalf("create: %+v, %v", w, err)
	}
	agent := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	p, err := c.AssignAgent(ctx, w.ID, agent)
	if err != nil || p == nil {
		t.Fatalf("assign: %+v, %v", p, err)
	}
	m, err := c.InviteClient(ctx, w.ID, ClientInvite{Email: "jane@acme.example"})
	if err != nil || m.MembershipID == "" || m.PortalURL == "" || m.EmailSent == nil || !*m.EmailSent {
		t.Fatalf("invite: %+v, %v", m, err)
	}
	if _, err := c.InviteClient(ctx, w.ID, ClientInvite{Email: "jane@acme.example"}); !IsConflict(err) {
		t.Errorf("second invite: %v", err)
	}
	if got, _ := srv.Workspace(w.ID); len(got.Clients["jane@acme.example"]) != 1 || got.Clients["jane@acme.example"][0] != "member" {
		t.Errorf("default role: %+v", got)
	}
	var all []Workspace
	if err := c.ListWorkspacePages(ctx, func(ws []Workspace) error { all = append(all, ws...); return nil }); err != nil || len(all) != 1 {
		t.Errorf("list: %+v, %v", all, err)
	}
	if err := c.RemoveClient(ctx, w.ID, "jane@acme.example"); err != nil {
		t.Errorf("remove: %v", err)
	}
	if err := c.RemoveClient(ctx, w.ID, "jane@acme.example"); !IsNotFound(err) {
		t.Errorf("second remove: %v", err)
	}
	stats, err := c.DeleteWorkspace(ctx, w.ID)
	if err != nil || stats == nil || stats.AgentsUnassigned != 1 {
		t.Errorf("delete: %+v, %v", stats, err)
	}
	if err := c.UnassignAgent(ctx, w.ID, agent); !IsNotFound(err) {
		t.Errorf("unassign from a deleted workspace: %v", err)
	}
	srv.SetAgencyPlan("", false, 0)
	if _, err := c.CreateWorkspace(ctx, "Acme"); !NeedsAgencyPlan(err) {
		t.Errorf("without the Agency plan: %v", err)
	}
}

func TestNeedsAgencyPlan(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&APIError{StatusCode: 402}, true},
		{&APIError{StatusCode: 403, Code: "forbidden", Message: "This feature requires the Agency plan"}, true},
		{&APIError{StatusCode: 403, Code: "plan_required"}, true},
		{&APIError{StatusCode: 403, Code: "forbidden", Message: "Workspace belongs to another team"}, false},
		{&APIError{StatusCode: 404}, false},
		{errors.New("boom"), false},
	} {
		if got := NeedsAgencyPlan(tc.err); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestCampaignShapes(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		check      func(*Campaign) bool
	}{
		{"id and message", `{"id":"c1","message":"Campaign created"}`, func(c *Campaign) bool { return c.ID == "c1" && c.Name == nil }},
		{"campaignId", `{"campaignId":"c2"}`, func(c *Campaign) bool { return c.ID == "c2" }},
		{"wrapped, $id, agent as an object", `{"campaign":{"$id":"c3","name":"Q4","status":"active","agent":{"id":"a1"},"variables":{"x":"y","n":3}}}`,
			func(c *Campaign) bool {
				return c.ID == "c3" && *c.Name == "Q4" && *c.AgentID == "a1" && c.Variables["x"] == "y" && len(c.Variables) == 1
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, 200, tc.body)
			got, err := c.CreateCampaign(context.Background(), CampaignInput{Name: "Q4", AgentID: "a1", ProductID: "p1", PromptID: "pr1"})
			if err != nil || !tc.check(got) {
				t.Errorf("%+v, %v", got, err)
			}
		})
	}
	c, _ := serve(t, 200, `{"message":"ok"}`)
	if _, err := c.CreateCampaign(context.Background(), CampaignInput{Name: "Q4"}); !errors.Is(err, errNoCampaignID) {
		t.Errorf("no id: %v", err)
	}
	// The analytics name the product, not its id: not taken as one.
	c, _ = serve(t, 200, `{"campaign":{"id":"c1","name":"Q4","status":"paused","agent":"a1","product":"Freight"},"metrics":{}}`)
	got, err := c.GetCampaign(context.Background(), "c1")
	if err != nil || *got.Status != "paused" || *got.AgentID != "a1" || got.ProductID != nil {
		t.Errorf("analytics: %+v, %v", got, err)
	}
	// The update never sends what Kakiyo cannot change.
	c, seen := serve(t, 200, `{"id":"c1","message":"Campaign updated successfully"}`)
	qa := int64(80)
	if err := c.UpdateCampaign(context.Background(), "c1", CampaignInput{Name: "Q4", AgentID: "a1", ProductID: "p1",
		QualificationAutomatic: &qa, Variables: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	if _, body := seen.last(); body != `{"name":"Q4","qualificationAutomatic":80,"variables":{}}` {
		t.Errorf("update body %s", body)
	}
}

// The campaign list pages by cursor, asking for pages of 100.
func TestListCampaignsByCursor(t *testing.T) {
	srv := kakiyotest.Start(t)
	srv.SetCampaignList(kakiyotest.ListObjectKey, kakiyotest.PagingCursor, 100)
	agent := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	product := srv.AddProduct("P", "")
	prompt := srv.AddPrompt("Pr", "message", "m")
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1, RequestsPerMinute: -1})
	ctx := context.Background()
	for i := range 150 {
		if _, err := c.CreateCampaign(ctx, CampaignInput{Name: "Campaign " + string(rune('A'+i%26)) + "xx", AgentID: agent,
			ProductID: product, PromptID: prompt}); err != nil {
			t.Fatal(err)
		}
	}
	srv.ResetRequests()
	var all []Campaign
	if err := c.ListCampaignPages(ctx, func(cs []Campaign) error { all = append(all, cs...); return nil }); err != nil || len(all) != 150 {
		t.Fatalf("%d campaigns, %v", len(all), err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Query != "limit=100" || reqs[1].Query != "after="+kakiyotest.CampaignID(100)+"&limit=100" {
		t.Errorf("requests %+v", reqs)
	}
}
