package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// NewCampaignListResource returns the kakiyo_campaign list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewCampaignListResource() list.ListResource {
	return &objectListResource[kakiyo.Campaign, campaignModel]{
		typeName: "_campaign",
		description: "Lists the team's campaigns for `terraform query` (Terraform 1.14 and later): one " +
			"`GET /campaigns` per query (one call per page). With `-generate-config-out`, Terraform writes an `import` " +
			"block and a `kakiyo_campaign` block for each.",
		reader:   func(d providerData) *walk.Reader[kakiyo.Campaign] { return d.campaigns },
		listErr:  func(err error) diag.Diagnostic { return apiErrorDiagnostic(campaignObject(""), "list", err) },
		key:      func(c *kakiyo.Campaign) string { return c.ID },
		display:  campaignDisplayName,
		identity: func(c *kakiyo.Campaign) any { return idIdentityModel{ID: types.StringValue(c.ID)} },
		// A summary's analytics show its name and status.
		whole: func(c *kakiyo.Campaign) bool { return c.Name != nil && c.Status != nil },
		toModel: func(_ context.Context, m *campaignModel, c *kakiyo.Campaign) diag.Diagnostics {
			m.setFromAPI(c)
			return nil
		},
	}
}

func campaignDisplayName(c *kakiyo.Campaign) string {
	name := c.ID
	if c.Name != nil && *c.Name != "" {
		name = *c.Name
	}
	if c.Status != nil {
		name += " (" + *c.Status + ")"
	}
	return name
}
