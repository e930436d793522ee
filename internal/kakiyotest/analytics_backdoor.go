package kakiyotest

import "math"

// The analytics' back door: what Kakiyo has counted of a campaign's
// prospects, which no API call sets. GET /analytics/campaigns/{id} answers
// it in the documented shape, with the rates derived from the totals.

// CampaignMetricsSeed is what Kakiyo has counted of one campaign.
type CampaignMetricsSeed struct {
	// The totals; the rates (percentages, two decimals) derive from them:
	// response = answers / prospects, qualification = qualified /
	// prospects, conversion = closed / prospects, and the average messages
	// per prospect.
	Prospects, Messages, Qualified, Answers, Closed int64
	// Daily is the activity by day, oldest first; the last seven days are
	// the sum of its last seven entries.
	Daily []DailyActivitySeed
	// StatusDistribution counts prospects by status (pending, contacted,
	// responded, qualified, closed), QualificationBreakdown by qualification
	// (pending, qualified, disqualified); a status left out counts 0.
	StatusDistribution, QualificationBreakdown map[string]int64
}

// DailyActivitySeed is one day of a campaign's activity.
type DailyActivitySeed struct {
	Date                           string // YYYY-MM-DD
	Messages, Responses, Qualified int64
}

// SetCampaignMetrics sets what Kakiyo has counted of campaign id; it
// reports whether the campaign exists.
func (s *Server) SetCampaignMetrics(id string, m CampaignMetricsSeed) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp, ok := s.campaigns.byID[id]
	if ok {
		cp.metrics = m
	}
	return ok
}

// rate is part / whole as a percentage with two decimals (0 for no whole).
func rate(part, whole int64, percent bool) float64 {
	if whole == 0 {
		return 0
	}
	r := float64(part) / float64(whole)
	if percent {
		r *= 100
	}
	return math.Round(r*100) / 100
}

// analyticsView is the documented metrics, activity, statusDistribution and
// qualificationBreakdown of GET /analytics/campaigns/{id}.
func (m CampaignMetricsSeed) analyticsView() map[string]any {
	daily := []any{}
	var last7 [3]int64
	for i, d := range m.Daily {
		daily = append(daily, map[string]any{"date": d.Date, "messages": d.Messages, "responses": d.Responses,
			"qualified": d.Qualified})
		if i >= len(m.Daily)-7 {
			last7[0], last7[1], last7[2] = last7[0]+d.Messages, last7[1]+d.Responses, last7[2]+d.Qualified
		}
	}
	counts := func(seed map[string]int64, keys ...string) map[string]any {
		out := map[string]any{}
		for _, k := range keys {
			out[k] = seed[k]
		}
		return out
	}
	return map[string]any{
		"metrics": map[string]any{"totalProspects": m.Prospects, "totalMessages": m.Messages,
			"totalQualified": m.Qualified, "totalAnswers": m.Answers, "totalClosed": m.Closed,
			"conversionRate": rate(m.Closed, m.Prospects, true), "responseRate": rate(m.Answers, m.Prospects, true),
			"qualificationRate":          rate(m.Qualified, m.Prospects, true),
			"averageMessagesPerProspect": rate(m.Messages, m.Prospects, false)},
		"activity": map[string]any{"dailyBreakdown": daily,
			"last7Days": map[string]any{"messages": last7[0], "responses": last7[1], "qualified": last7[2]}},
		"statusDistribution":     counts(m.StatusDistribution, "pending", "contacted", "responded", "qualified", "closed"),
		"qualificationBreakdown": counts(m.QualificationBreakdown, "pending", "qualified", "disqualified"),
	}
}
