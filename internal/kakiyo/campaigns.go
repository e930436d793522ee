package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// Campaigns. PUT /campaigns/{id} and GET /analytics/campaigns/{id} are
// documented; the list, the create, pause and resume are known from
// Kakiyo's n8n node and MCP tools, so their shapes are not. Kakiyo has no
// way to delete a campaign, and no read of one but its analytics.

// Campaign is a campaign as Kakiyo lists it. Fields that an answer lacks
// are nil: the list's item shape is undocumented.
type Campaign struct {
	ID                        string            `json:"id"`
	Name                      *string           `json:"name"`
	Status                    *string           `json:"status"`
	AgentID                   *string           `json:"agentId"`
	ProductID                 *string           `json:"productId"`
	PromptID                  *string           `json:"promptId"`
	QualificationAutomatic    *int64            `json:"qualificationAutomatic"`
	QualificationVerification *int64            `json:"qualificationVerification"`
	Variables                 map[string]string `json:"variables"`
	CreatedAt                 *string           `json:"createdAt"`
}

// UnmarshalJSON accepts "id" or "$id", and "agent", "product" and "prompt"
// as an id string or an object with an id.
func (c *Campaign) UnmarshalJSON(b []byte) error {
	type plain Campaign
	var aux struct {
		plain
		Variables json.RawMessage `json:"variables"`
		Agent     json.RawMessage `json:"agent"`
		Product   json.RawMessage `json:"product"`
		Prompt    json.RawMessage `json:"prompt"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*c = Campaign(aux.plain)
	appwriteID(b, &c.ID)
	// Variables: an object of strings; other values are ignored.
	if len(aux.Variables) > 0 {
		var m map[string]any
		if json.Unmarshal(aux.Variables, &m) == nil && m != nil {
			c.Variables = map[string]string{}
			for k, v := range m {
				if s, ok := v.(string); ok {
					c.Variables[k] = s
				}
			}
		}
	}
	for _, f := range []struct {
		raw json.RawMessage
		dst **string
	}{{aux.Agent, &c.AgentID}, {aux.Product, &c.ProductID}, {aux.Prompt, &c.PromptID}} {
		if *f.dst != nil || len(f.raw) == 0 {
			continue
		}
		var obj struct {
			ID string `json:"id"`
		}
		var id string
		switch {
		case json.Unmarshal(f.raw, &id) == nil && id != "":
			*f.dst = &id
		case json.Unmarshal(f.raw, &obj) == nil && obj.ID != "":
			*f.dst = &obj.ID
		}
	}
	return nil
}

// CampaignInput is the body of POST /campaigns; the update sends Name,
// the thresholds and Variables only (Kakiyo cannot change the others).
type CampaignInput struct {
	Name                      string            `json:"name"`
	AgentID                   string            `json:"agentId,omitempty"`
	ProductID                 string            `json:"productId,omitempty"`
	PromptID                  string            `json:"promptId,omitempty"`
	QualificationAutomatic    *int64            `json:"qualificationAutomatic,omitempty"`
	QualificationVerification *int64            `json:"qualificationVerification,omitempty"`
	Variables                 map[string]string `json:"variables"`
}

// CampaignStatusPaused and CampaignStatusActive are the statuses pause and
// resume set (Kakiyo publishes no enum; "completed" is seen too).
const (
	CampaignStatusActive    = "active"
	CampaignStatusPaused    = "paused"
	CampaignStatusCompleted = "completed"
)

// CampaignPageSize is the page asked of GET /campaigns.
const CampaignPageSize = 100

var (
	// A campaign has no idempotency key, and no delete: one made twice
	// would run twice, for good.
	epCreateCampaign    = endpoint{method: "POST", template: "/campaigns", creates: true}
	epListCampaigns     = endpoint{method: "GET", template: "/campaigns"}
	epUpdateCampaign    = endpoint{method: "PUT", template: "/campaigns/{id}"}
	epPauseCampaign     = endpoint{method: "POST", template: "/campaigns/{id}/pause"}
	epResumeCampaign    = endpoint{method: "POST", template: "/campaigns/{id}/resume"}
	epCampaignAnalytics = endpoint{method: "GET", template: "/analytics/campaigns/{id}"}
	campaignList        = list[Campaign]{ep: epListCampaigns, noun: "campaigns", keys: []string{"campaigns", "data", "items", "results"},
		id: func(c *Campaign) string { return c.ID }, pageSize: CampaignPageSize}
	errNoCampaignID = errors.New("kakiyo API POST /campaigns: the response holds no campaign id")
)

func campaignPath(id string) string { return "/campaigns/" + url.PathEscape(id) }

// CreateCampaign calls POST /campaigns. The answer's shape is not
// documented: {id, message}, the campaign, or either wrapped.
func (c *Client) CreateCampaign(ctx context.Context, in CampaignInput) (*Campaign, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epCreateCampaign, "/campaigns", in, &raw); err != nil {
		return nil, err
	}
	var camp Campaign
	if err := unwrap(raw, []string{"campaign", "data"}, &camp); err != nil {
		return nil, c.notTheObject(epCreateCampaign, raw, err)
	}
	if camp.ID == "" {
		var alt struct {
			CampaignID string `json:"campaignId"`
		}
		_ = json.Unmarshal(raw, &alt)
		camp.ID = alt.CampaignID
	}
	if camp.ID == "" {
		return nil, c.notTheObject(epCreateCampaign, raw, errNoCampaignID)
	}
	c.trust()
	return &camp, nil
}

// ListCampaignPages calls GET /campaigns (cursor paging) and hands each page
// to fn.
func (c *Client) ListCampaignPages(ctx context.Context, fn func([]Campaign) error) error {
	return campaignList.each(ctx, c, fn)
}

// UpdateCampaign calls PUT /campaigns/{id} with the name, thresholds and
// variables of in.
func (c *Client) UpdateCampaign(ctx context.Context, id string, in CampaignInput) error {
	in.AgentID, in.ProductID, in.PromptID = "", "", ""
	return c.do(ctx, epUpdateCampaign, campaignPath(id), in, nil)
}

// PauseCampaign calls POST /campaigns/{id}/pause.
func (c *Client) PauseCampaign(ctx context.Context, id string) error {
	return c.do(ctx, epPauseCampaign, campaignPath(id)+"/pause", nil, nil)
}

// ResumeCampaign calls POST /campaigns/{id}/resume.
func (c *Client) ResumeCampaign(ctx context.Context, id string) error {
	return c.do(ctx, epResumeCampaign, campaignPath(id)+"/resume", nil, nil)
}

// GetCampaign reads a campaign from GET /analytics/campaigns/{id}, the only
// read of one campaign: its id, name, status and agent (the analytics name
// the product, not its id; thresholds and variables are not shown).
func (c *Client) GetCampaign(ctx context.Context, id string) (*Campaign, error) {
	var ans struct {
		Campaign *Campaign `json:"campaign"`
	}
	if err := c.do(ctx, epCampaignAnalytics, "/analytics/campaigns/"+url.PathEscape(id), nil, &ans); err != nil {
		return nil, err
	}
	if ans.Campaign == nil {
		return nil, &DecodeError{Method: "GET", Path: "/analytics/campaigns/" + url.PathEscape(id), StatusCode: 200,
			Err: errors.New("the answer holds no campaign")}
	}
	if err := sameID("campaign", id, ans.Campaign.ID); err != nil {
		return nil, &DecodeError{Method: "GET", Path: "/analytics/campaigns/" + url.PathEscape(id), StatusCode: 200, Err: err}
	}
	// "product" there is a name, not an id.
	ans.Campaign.ProductID = nil
	c.trust()
	return ans.Campaign, nil
}
