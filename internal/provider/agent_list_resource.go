package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// NewAgentListResource returns the kakiyo_agent list resource, for
// `terraform query` (Terraform 1.14 and later): the generic list resource
// with a status filter. An agent that the listing shows only in part is
// read by id; its resource is what an import followed by a refresh reads.
func NewAgentListResource() list.ListResource {
	return &objectListResource[kakiyo.Agent, agentModel]{
		typeName: "_agent",
		description: "Lists the agents of the API key's team for `terraform query` (Terraform 1.14 and later), " +
			"optionally only those in some statuses. One listing of the team's agents (`GET /agents`, one call per " +
			"page) per query. With `terraform query -generate-config-out=FILE`, Terraform writes an `import` block " +
			"and a `kakiyo_agent` block for each agent found: the way to adopt every existing agent.",
		config: map[string]schema.Attribute{
			"status": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Only agents in one of these statuses, e.g. `[\"ended\"]` or `[\"running\", \"paused\"]`. " +
					"Any status Kakiyo reports is accepted.",
			},
		},
		filter:   agentStatusFilter,
		reader:   func(d providerData) *walk.Reader[kakiyo.Agent] { return d.agents },
		listErr:  func(err error) diag.Diagnostic { return apiErrorDiagnostic(agentObject(""), "list", err) },
		key:      func(a *kakiyo.Agent) string { return a.ID },
		display:  agentDisplayName,
		identity: func(a *kakiyo.Agent) any { return idIdentityModel{ID: types.StringValue(a.ID)} },
		whole:    func(a *kakiyo.Agent) bool { return !a.Summary },
		readErr:  func(id string, err error) diag.Diagnostic { return apiErrorDiagnostic(agentObject(id), "read", err) },
		toModel: func(ctx context.Context, m *agentModel, a *kakiyo.Agent) diag.Diagnostics {
			diags := m.setFromAPI(ctx, a)
			m.DeletionProtection = types.BoolValue(false) // the schema's default, as a plan would set it
			return diags
		},
	}
}

type agentListConfig struct {
	Status types.List `tfsdk:"status"`
}

// agentStatusFilter keeps the agents in one of the list block's statuses
// (all of them when it names none).
func agentStatusFilter(ctx context.Context, req list.ListRequest) (func(*kakiyo.Agent) bool, diag.Diagnostics) {
	var cfg agentListConfig
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		return nil, diags
	}
	var statuses []string
	if diags.Append(cfg.Status.ElementsAs(ctx, &statuses, false)...); diags.HasError() {
		return nil, diags
	}
	return func(a *kakiyo.Agent) bool { return len(statuses) == 0 || slices.Contains(statuses, a.Status) }, diags
}

// agentDisplayName is the LinkedIn name, or the id and status for an agent
// not set up yet.
func agentDisplayName(a *kakiyo.Agent) string {
	if a.Name != nil && *a.Name != "" {
		return *a.Name
	}
	return fmt.Sprintf("%s (%s)", a.ID, a.Status)
}
