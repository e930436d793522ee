package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// The documented example of GET /analytics/campaigns/{id}, decoded: one
// call, every part in its field.
func TestGetCampaignAnalytics(t *testing.T) {
	c, seen := serve(t, 200, `{"campaign":{"id":"campaign_12345abcde","name":"Q4","status":"active",
		"createdAt":"2026-01-15T10:00:00Z","agent":"agent_1","product":"Freight"},
		"metrics":{"totalProspects":150,"totalMessages":420,"totalQualified":18,"totalAnswers":35,"totalClosed":5,
		"conversionRate":3.33,"responseRate":23.33,"qualificationRate":12,"averageMessagesPerProspect":2.8},
		"activity":{"dailyBreakdown":[{"date":"2026-01-20","messages":25,"responses":4,"qualified":1}],
		"last7Days":{"messages":180,"responses":15,"qualified":8}},
		"statusDistribution":{"pending":50,"contacted":65,"responded":17,"qualified":13,"closed":5},
		"qualificationBreakdown":{"pending":120,"qualified":18,"disqualified":12.0}}`)
	a, err := c.GetCampaignAnalytics(context.Background(), "campaign_12345abcde")
	if err != nil {
		t.Fatal(err)
	}
	if len(seen.reqs) != 1 || seen.reqs[0].Method != "GET" || seen.reqs[0].URL.Path != "/v1/analytics/campaigns/campaign_12345abcde" {
		t.Errorf("requests: %v", seen.reqs)
	}
	s := a.Campaign
	if *s.ID != "campaign_12345abcde" || *s.Name != "Q4" || *s.Status != "active" || *s.AgentID != "agent_1" ||
		*s.ProductName != "Freight" || *s.CreatedAt != "2026-01-15T10:00:00Z" {
		t.Errorf("campaign: %+v", s)
	}
	m := a.Metrics
	if *m.TotalProspects != 150 || *m.TotalAnswers != 35 || *m.ResponseRate != 23.33 || *m.QualificationRate != 12 ||
		*m.AverageMessagesPerProspect != 2.8 || *m.TotalClosed != 5 {
		t.Errorf("metrics: %+v", m)
	}
	if d := a.Activity.DailyBreakdown; len(d) != 1 || d[0].Date != "2026-01-20" || *d[0].Messages != 25 ||
		*a.Activity.Last7Days.Qualified != 8 {
		t.Errorf("activity: %+v", a.Activity)
	}
	if *a.StatusDistribution.Contacted != 65 || *a.QualificationBreakdown.Disqualified != 12 {
		t.Errorf("distribution: %+v %+v", a.StatusDistribution, a.QualificationBreakdown)
	}
}

// Other shapes: wrapped in "data", $id, the product as an object, parts
// missing (nil, not zero); a fraction where a count belongs is an error
// that names the path.
func TestCampaignAnalyticsShapes(t *testing.T) {
	c, _ := serve(t, 200, `{"data":{"campaign":{"$id":"c9","product":{"id":"p1","name":"Freight"}},"metrics":{"responseRate":7.5}}}`)
	a, err := c.GetCampaignAnalytics(context.Background(), "c9")
	if err != nil || *a.Campaign.ID != "c9" || *a.Campaign.ProductName != "Freight" || *a.Metrics.ResponseRate != 7.5 ||
		a.Metrics.TotalProspects != nil || a.Campaign.AgentID != nil || a.Activity.DailyBreakdown != nil {
		t.Errorf("%+v, %v", a, err)
	}
	c, _ = serve(t, 200, `{"metrics":{"totalProspects":1.5}}`)
	_, err = c.GetCampaignAnalytics(context.Background(), "c9")
	var de *DecodeError
	if !errors.As(err, &de) || de.Path != "/analytics/campaigns/c9" {
		t.Errorf("fraction: %v", err)
	}
	c, _ = serve(t, 404, `{"error":"not_found","message":"Campaign not found"}`)
	if _, err := c.GetCampaignAnalytics(context.Background(), "nope"); !IsNotFound(err) {
		t.Errorf("404: %v", err)
	}
}

// The double answers the documented shape, with the rates derived from the
// totals it was seeded with, and the last seven days from its last seven.
func TestCampaignAnalyticsAgainstTheDouble(t *testing.T) {
	srv := kakiyotest.Start(t)
	agent := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	product := srv.AddProduct("Freight", "")
	prompt := srv.AddPrompt("First", "message", "m")
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, MaxRetries: -1, RequestsPerMinute: -1})
	ctx := context.Background()
	camp, err := c.CreateCampaign(ctx, CampaignInput{Name: "Q4 outreach", AgentID: agent, ProductID: product, PromptID: prompt})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.GetCampaignAnalytics(ctx, camp.ID)
	if err != nil || *a.Metrics.TotalProspects != 0 || *a.Metrics.ResponseRate != 0 || len(a.Activity.DailyBreakdown) != 0 {
		t.Fatalf("new campaign: %+v, %v", a, err)
	}
	var daily []kakiyotest.DailyActivitySeed
	for d := 1; d <= 9; d++ {
		daily = append(daily, kakiyotest.DailyActivitySeed{Date: "2026-03-0" + string(rune('0'+d)), Messages: 10, Responses: int64(d), Qualified: 1})
	}
	if !srv.SetCampaignMetrics(camp.ID, kakiyotest.CampaignMetricsSeed{Prospects: 150, Messages: 420, Qualified: 18,
		Answers: 35, Closed: 5, Daily: daily, StatusDistribution: map[string]int64{"pending": 50, "contacted": 65},
		QualificationBreakdown: map[string]int64{"disqualified": 12}}) {
		t.Fatal("no campaign in the double")
	}
	srv.ResetRequests()
	a, err = c.GetCampaignAnalytics(ctx, camp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("GET", "/analytics/campaigns/"+camp.ID); n != 1 || len(srv.Requests()) != 1 {
		t.Errorf("%d requests", len(srv.Requests()))
	}
	m := a.Metrics
	if *m.ResponseRate != 23.33 || *m.QualificationRate != 12 || *m.ConversionRate != 3.33 || *m.AverageMessagesPerProspect != 2.8 {
		t.Errorf("rates: %+v", m)
	}
	l7 := a.Activity.Last7Days
	if len(a.Activity.DailyBreakdown) != 9 || *l7.Messages != 70 || *l7.Responses != 3+4+5+6+7+8+9 || *l7.Qualified != 7 {
		t.Errorf("activity: %+v", a.Activity)
	}
	if *a.StatusDistribution.Pending != 50 || *a.StatusDistribution.Closed != 0 || *a.QualificationBreakdown.Disqualified != 12 {
		t.Errorf("distributions: %+v %+v", a.StatusDistribution, a.QualificationBreakdown)
	}
	if s := a.Campaign; *s.ID != camp.ID || *s.Name != "Q4 outreach" || *s.AgentID != agent || *s.ProductName != "Freight" || *s.Status != "active" {
		t.Errorf("summary: %+v", s)
	}
	// GetCampaign reads the same answer, unchanged.
	got, err := c.GetCampaign(ctx, camp.ID)
	if err != nil || *got.Name != "Q4 outreach" || got.ProductID != nil {
		t.Errorf("GetCampaign: %+v, %v", got, err)
	}
}

// Any answer decodes or fails without a panic; a summary id is never
// empty, and a decoded count is whole.
func FuzzCampaignAnalytics(f *testing.F) {
	for _, s := range []string{`{"campaign":{"id":"c1","product":{"name":"P"}},"metrics":{"totalProspects":3,"responseRate":1.5}}`,
		`{"data":{"campaign":{"$id":"c2"},"activity":{"dailyBreakdown":[{"date":"2026-01-01","messages":2}]}}}`,
		`{"data":{"data":{"metrics":{"totalClosed":1e3}}}}`, `{"metrics":{"totalAnswers":2.5}}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var a CampaignAnalytics
		if json.Unmarshal(body, &a) != nil {
			return
		}
		if a.Campaign.ID != nil && *a.Campaign.ID == "" {
			t.Fatal("an empty campaign id")
		}
	})
}
