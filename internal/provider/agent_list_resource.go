package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

var (
	_ list.ListResource              = (*agentListResource)(nil)
	_ list.ListResourceWithConfigure = (*agentListResource)(nil)
)

// NewAgentListResource returns the kakiyo_agent list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewAgentListResource() list.ListResource { return &agentListResource{} }

type agentListResource struct {
	reader *walkReader[kakiyo.Agent]
}

type agentListConfig struct {
	Status types.List `tfsdk:"status"`
}

func (l *agentListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent"
}

func (l *agentListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the agents of the API key's team for `terraform query` (Terraform 1.14 and later), " +
			"optionally only those in some statuses. One listing of the team's agents (`GET /agents`, one call per " +
			"page) per query. With `terraform query -generate-config-out=FILE`, Terraform writes an `import` block " +
			"and a `kakiyo_agent` block for each agent found: the way to adopt every existing agent.",
		Attributes: map[string]schema.Attribute{
			"status": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Only agents in one of these statuses, e.g. `[\"ended\"]` or `[\"running\", \"paused\"]`. " +
					"Any status Kakiyo reports is accepted.",
			},
		},
	}
}

func (l *agentListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.reader = dataFrom(req.ProviderData, &resp.Diagnostics).agents
}

// List streams the team's agents, from one listing, sorted by id: each
// with its identity, a readable name (the LinkedIn name, or the id and
// status for an agent not set up yet) and, when Terraform asks, the
// resource as an import would read it.
func (l *agentListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg agentListConfig
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var statuses []string
	if diags := cfg.Status.ElementsAs(ctx, &statuses, false); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if l.reader == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(diag.NewErrorDiagnostic("Kakiyo provider not configured",
			"The kakiyo_agent list resource needs a configured kakiyo provider (api_key, or KAKIYO_API_KEY).")))
		return
	}
	listed, err := l.reader.all(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagsOf(apiErrorDiagnostic(agentObject(""), "list", err)))
		return
	}
	agents := slices.Clone(listed)
	slices.SortFunc(agents, func(a, b *kakiyo.Agent) int { return strings.Compare(a.ID, b.ID) })
	stream.Results = func(push func(list.ListResult) bool) {
		sent := int64(0)
		for _, a := range agents {
			if len(statuses) > 0 && !slices.Contains(statuses, a.Status) {
				continue
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = agentDisplayName(a)
			result.Diagnostics.Append(result.Identity.Set(ctx, idIdentityModel{ID: types.StringValue(a.ID)})...)
			if req.IncludeResource {
				l.resourceOf(ctx, a, &result)
			}
			sent++
			if !push(result) {
				return
			}
		}
	}
}

// resourceOf fills result's resource as an import followed by a refresh
// would: what Kakiyo reports, the schema's defaults, nothing else. An
// agent that the listing shows only in part is read by id.
func (l *agentListResource) resourceOf(ctx context.Context, a *kakiyo.Agent, result *list.ListResult) {
	if a.Summary {
		full, err := l.reader.read(ctx, a.ID)
		if err != nil {
			result.Diagnostics.Append(apiErrorDiagnostic(agentObject(a.ID), "read", err))
			return
		}
		a = full
	}
	var m agentModel
	empty := emptyObject(ctx, result.Resource.Schema.Type())
	result.Diagnostics.Append(modelFrom(ctx, result.Resource.Schema.GetAttributes(), empty, &m)...)
	if result.Diagnostics.HasError() {
		return
	}
	result.Diagnostics.Append(m.setFromAPI(ctx, a)...)
	m.DeletionProtection = types.BoolValue(false)
	raw, diags := terraformValue(ctx, result.Resource.Schema.Type(), &m)
	result.Diagnostics.Append(diags...)
	if !diags.HasError() {
		result.Resource.Raw = raw
	}
}

func agentDisplayName(a *kakiyo.Agent) string {
	if a.Name != nil && *a.Name != "" {
		return *a.Name
	}
	return fmt.Sprintf("%s (%s)", a.ID, a.Status)
}

func diagsOf(d ...diag.Diagnostic) diag.Diagnostics { return d }
