package kakiyo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
)

// Analytics. GET /analytics/campaigns/{id} is documented: a summary of the
// campaign, its metrics (rates are percentages, such as 23.33), its
// activity by day and over the last seven days, and how its prospects are
// spread over statuses and qualification. (campaigns.go reads a campaign
// from the same answer, its summary only.)

// Count is a number of things Kakiyo counts: a JSON number with no
// fraction (12, or 12.0).
type Count int64

// UnmarshalJSON accepts a whole JSON number.
func (n *Count) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return fmt.Errorf("kakiyo: %s is not a count", b)
	}
	*n = Count(f)
	return nil
}

// CampaignAnalytics is the answer of GET /analytics/campaigns/{id}. Parts
// an answer lacks are zero (their fields nil).
type CampaignAnalytics struct {
	Campaign               CampaignSummary        `json:"-"`
	Metrics                CampaignMetrics        `json:"metrics"`
	Activity               CampaignActivity       `json:"activity"`
	StatusDistribution     StatusDistribution     `json:"statusDistribution"`
	QualificationBreakdown QualificationBreakdown `json:"qualificationBreakdown"`
}

// CampaignSummary is the analytics' "campaign": Kakiyo names the agent by
// its id and the product by its name.
type CampaignSummary struct {
	ID, Name, Status, CreatedAt, AgentID, ProductName *string
}

// CampaignMetrics are the campaign's totals and rates (percentages).
type CampaignMetrics struct {
	TotalProspects             *Count   `json:"totalProspects"`
	TotalMessages              *Count   `json:"totalMessages"`
	TotalQualified             *Count   `json:"totalQualified"`
	TotalAnswers               *Count   `json:"totalAnswers"`
	TotalClosed                *Count   `json:"totalClosed"`
	ConversionRate             *float64 `json:"conversionRate"`
	ResponseRate               *float64 `json:"responseRate"`
	QualificationRate          *float64 `json:"qualificationRate"`
	AverageMessagesPerProspect *float64 `json:"averageMessagesPerProspect"`
}

// ActivityCounts are the messages, responses and qualified prospects of a
// day or of the last seven days.
type ActivityCounts struct {
	Messages  *Count `json:"messages"`
	Responses *Count `json:"responses"`
	Qualified *Count `json:"qualified"`
}

// DailyActivity is one day of activity; Date is "YYYY-MM-DD".
type DailyActivity struct {
	Date string `json:"date"`
	ActivityCounts
}

// CampaignActivity is the campaign's activity by day and over the last
// seven days.
type CampaignActivity struct {
	DailyBreakdown []DailyActivity `json:"dailyBreakdown"`
	Last7Days      ActivityCounts  `json:"last7Days"`
}

// StatusDistribution counts the campaign's prospects by status.
type StatusDistribution struct {
	Pending   *Count `json:"pending"`
	Contacted *Count `json:"contacted"`
	Responded *Count `json:"responded"`
	Qualified *Count `json:"qualified"`
	Closed    *Count `json:"closed"`
}

// QualificationBreakdown counts the campaign's prospects by qualification.
type QualificationBreakdown struct {
	Pending      *Count `json:"pending"`
	Qualified    *Count `json:"qualified"`
	Disqualified *Count `json:"disqualified"`
}

// UnmarshalJSON decodes the answer, bare or wrapped in "data"; the summary
// takes "id" or "$id", and the agent and the product as a string or an
// object (with an id, with a name).
func (a *CampaignAnalytics) UnmarshalJSON(b []byte) error { return a.decode(b, true) }

// decode decodes b, taking it out of "data" once when unwrap is set.
func (a *CampaignAnalytics) decode(b []byte, unwrap bool) error {
	type plain CampaignAnalytics
	var aux struct {
		plain
		Campaign json.RawMessage `json:"campaign"`
		Data     json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if unwrap && len(aux.Campaign) == 0 && len(aux.Data) > 0 && string(aux.Data) != "null" {
		return a.decode(aux.Data, false)
	}
	*a = CampaignAnalytics(aux.plain)
	if len(aux.Campaign) == 0 || string(aux.Campaign) == "null" {
		return nil
	}
	var c Campaign
	if err := json.Unmarshal(aux.Campaign, &c); err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	s := CampaignSummary{Name: c.Name, Status: c.Status, CreatedAt: c.CreatedAt, AgentID: c.AgentID}
	if c.ID != "" {
		s.ID = &c.ID
	}
	var product struct {
		Product json.RawMessage `json:"product"`
	}
	if json.Unmarshal(aux.Campaign, &product) == nil && len(product.Product) > 0 {
		var name string
		var obj struct {
			Name string `json:"name"`
		}
		switch {
		case json.Unmarshal(product.Product, &name) == nil && name != "":
			s.ProductName = &name
		case json.Unmarshal(product.Product, &obj) == nil && obj.Name != "":
			s.ProductName = &obj.Name
		}
	}
	a.Campaign = s
	return nil
}

// GetCampaignAnalytics calls GET /analytics/campaigns/{id}: one call.
func (c *Client) GetCampaignAnalytics(ctx context.Context, id string) (*CampaignAnalytics, error) {
	path := "/analytics/campaigns/" + url.PathEscape(id)
	var raw json.RawMessage
	if err := c.do(ctx, epCampaignAnalytics, path, nil, &raw); err != nil {
		return nil, err
	}
	var a CampaignAnalytics
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, &DecodeError{Method: "GET", Path: path, StatusCode: 200, Body: c.snippet(raw), Err: err}
	}
	return &a, nil
}
