// Package provider implements the Kakiyo Terraform provider.
package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// Environment variables read when the provider block leaves a value unset.
const (
	EnvAPIKey     = "KAKIYO_API_KEY"
	EnvBaseURL    = "KAKIYO_BASE_URL"
	EnvMaxRetries = "KAKIYO_MAX_RETRIES"
	EnvExportDir  = "KAKIYO_EXPORT_DIR"
	EnvRefresh    = "KAKIYO_REFRESH_MODE"
	EnvAdopt      = "KAKIYO_ADOPT_LOST_CREATES"
)

// apiKeyLength is the length of Kakiyo's API keys, as documented.
const apiKeyLength = 40

var (
	_ provider.Provider                  = (*kakiyoProvider)(nil)
	_ provider.ProviderWithFunctions     = (*kakiyoProvider)(nil)
	_ provider.ProviderWithListResources = (*kakiyoProvider)(nil)
	_ provider.ProviderWithActions       = (*kakiyoProvider)(nil)
)

type kakiyoProvider struct {
	version string
}

type providerModel struct {
	APIKey            types.String `tfsdk:"api_key"`
	BaseURL           types.String `tfsdk:"base_url"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
	MaxRetryTime      types.String `tfsdk:"max_retry_time"`
	RetryWaitMin      types.String `tfsdk:"retry_wait_min"`
	RetryWaitMax      types.String `tfsdk:"retry_wait_max"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	RequestsPerMinute types.Int64  `tfsdk:"requests_per_minute"`
	ExportDir         types.String `tfsdk:"export_dir"`
	RefreshMode       types.String `tfsdk:"refresh_mode"`
	AdoptLostCreates  types.Bool   `tfsdk:"adopt_lost_creates"`
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	client       *kakiyo.Client
	export       *exporter // nil unless export_dir is set
	agents       *walk.Reader[kakiyo.Agent]
	agentCreates *walk.CreateGuard[kakiyo.Agent]
	webhooks     *walk.Reader[kakiyo.Webhook]
	dnc          *walk.Reader[kakiyo.DNCEntry]
	workspaces   *walk.Reader[kakiyo.Workspace]
	campaigns    *walk.Reader[kakiyo.Campaign]
	// adoptLostCreates: a create whose answer was lost adopts the object a
	// listing shows it made (see lostCreate).
	adoptLostCreates bool
}

// New returns a function that builds the provider, as providerserver wants.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &kakiyoProvider{version: version}
	}
}

func (p *kakiyoProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "kakiyo"
	resp.Version = p.version
}

func (p *kakiyoProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages [Kakiyo](https://kakiyo.com) AI agents for LinkedIn outreach through the Kakiyo public API.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Kakiyo API key (40 characters), created in the Kakiyo dashboard under API Keys. " +
					"Keys are team-scoped: the provider sees the agents of the key's team only. " +
					"May instead be set with the `" + EnvAPIKey + "` environment variable, which keeps it out of configuration files.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Root URL of the Kakiyo API. Defaults to `" + kakiyo.DefaultBaseURL + "`, " +
					"or to the `" + EnvBaseURL + "` environment variable when set. A path prefix is kept: " +
					"endpoint paths such as `/agents/{id}` are appended to it.",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many times a failed request is retried: on HTTP 429 (any request) and on "+
					"HTTP 500, 502, 503, 504 or a lost connection (requests that are safe to repeat; creating an agent is "+
					"retried only when Kakiyo surely did not receive it, or when a listing shows that it made nothing; an agent "+
					"it made although its answer was lost is found and adopted). Other errors are never retried. `0` turns "+
					"retries off. Defaults to `%d`, or to the `%s` environment variable.", kakiyo.DefaultMaxRetries, EnvMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"max_retry_time": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Upper bound of the time one request may spend waiting between retries, "+
					"as a Go duration such as `90s` or `5m`. Defaults to `%s`.", kakiyo.DefaultMaxRetryTime),
				Validators: []validator.String{durationValidator{}},
			},
			"retry_wait_min": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("First wait before a retry; later waits double, with jitter. "+
					"Defaults to `%s`.", kakiyo.DefaultRetryWaitMin),
				Validators: []validator.String{durationValidator{}},
			},
			"retry_wait_max": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Longest single wait before a retry, including waits that Kakiyo asks for "+
					"with `Retry-After` or `resetTime`. Defaults to `%s`.", kakiyo.DefaultRetryWaitMax),
				Validators: []validator.String{durationValidator{}},
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How long one HTTP attempt may take before it is abandoned (and retried "+
					"when that is safe). Defaults to `%s`.", kakiyo.DefaultRequestTimeout),
				Validators: []validator.String{durationValidator{}},
			},
			"requests_per_minute": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Client-side rate limit per API endpoint (such as `DELETE /agents/{id}`), "+
					"shared by all resources of this provider configuration, so that large plans run with "+
					"`-parallelism` do not provoke a storm of HTTP 429. No minute ever sees more than this many "+
					"requests to one endpoint. Defaults to `%d`, Kakiyo's documented limit; `0` turns it off.",
					kakiyo.DefaultRequestsPerMinute),
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"refresh_mode": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How a run reads the agents it manages (a plan's refresh, an import, the `kakiyo_agent` " +
					"data source). `auto` (the default) reads the first " + fmt.Sprint(walk.ReadsByIDFirst) + " agents of a run " +
					"by id and, from the third on, serves every read from one listing of the team's agents " +
					"(`GET /agents`, one call per page) that the run makes once: a plan of N agents in a team whose " +
					"listing has P pages costs N calls when N is at most " + fmt.Sprint(walk.ReadsByIDFirst) + ", and at " +
					"most P + " + fmt.Sprint(walk.ReadsByIDFirst) + " otherwise (P when Terraform starts the reads " +
					"together, as it does). `list` always uses the listing; `by_id` never does (N calls: the " +
					"cheaper choice for a few agents in a team whose listing has many pages). An agent missing " +
					"from the listing, or shown there only in part, is read by id, and the provider never uses a " +
					"listing to read back its own changes. Defaults to the `" + EnvRefresh + "` environment " +
					"variable, or `auto`.",
				Validators: []validator.String{stringvalidator.OneOf(walk.ModeAuto, walk.ModeList, walk.ModeByID)},
			},
			"adopt_lost_creates": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "What a create does when its answer is lost (the connection dropped after Kakiyo " +
					"handled it, a proxy answered 502, Ctrl-C cut it off, an answer that is not the new object): Kakiyo " +
					"takes no idempotency key, so the provider lists the objects right away to see what Kakiyo made. " +
					"`true` (the default): it adopts the new object the listing shows (for agents, new and in " +
					"`setup_needed`, as many as the run's lost answers at most; for webhooks, workspaces and campaigns, " +
					"the one object just like the one asked for), so that nothing is paid for and forgotten, and nothing " +
					"is created twice. Safe when no other run or person creates objects with this API key at the same " +
					"time. `false`: it adopts none and names the candidates with `import` blocks, so that two runs on " +
					"one key never manage one object (a new agent cannot be told apart from another run's); set it when " +
					"several pipelines apply with one key at once. Either way, a create for which Kakiyo made nothing " +
					"is sent again. Defaults to the `" + EnvAdopt + "` environment variable (`true` or `false`), or `true`.",
			},
			"export_dir": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Directory where the provider writes a JSON record of each agent before it " +
					"deletes it, as Kakiyo recommends (a deleted agent's configuration, usage and history are gone for " +
					"good). The record is written completely (mode `0600`) before the `DELETE` is sent; if it cannot be " +
					"written, the agent is not deleted. Kakiyo's refusal removes the record again. No API call is " +
					"spent on it and no secret is written. Defaults to the `" + EnvExportDir + "` environment " +
					"variable; unset, nothing is exported.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (p *kakiyoProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	// A configuration not known yet (api_key from another resource, a Stacks
	// component's output): where the client allows deferral, the framework
	// defers this provider's resources and data sources to a later plan
	// instead of failing. Without it, the errors below say what is unknown.
	if req.ClientCapabilities.DeferralAllowed && !req.Config.Raw.IsFullyKnown() {
		resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		return
	}
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// No diagnostic of api_key or base_url is attached to its attribute:
	// Terraform would print the configuration's line with it, and so a key,
	// or a password in a URL, written there literally.
	if cfg.APIKey.IsUnknown() {
		resp.Diagnostics.AddError("Unknown Kakiyo API key",
			"The provider cannot be configured because api_key depends on a value that is not known until apply. "+
				"Set it to a known value, or leave it out and set the "+EnvAPIKey+" environment variable.")
	}
	if cfg.BaseURL.IsUnknown() {
		resp.Diagnostics.AddError("Unknown Kakiyo base URL",
			"The provider cannot be configured because base_url depends on a value that is not known until apply. "+
				"Set it to a known value, or leave it out to use "+kakiyo.DefaultBaseURL+".")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	apiKey := strings.TrimSpace(os.Getenv(EnvAPIKey))
	if !cfg.APIKey.IsNull() {
		apiKey = strings.TrimSpace(cfg.APIKey.ValueString())
	}
	if apiKey == "" {
		resp.Diagnostics.AddError("Missing Kakiyo API key",
			"The provider needs a Kakiyo API key to call the Kakiyo API. Set api_key in the provider block, "+
				"or set the "+EnvAPIKey+" environment variable (recommended: it keeps the key out of your configuration). "+
				"Keys are created in the Kakiyo dashboard under API Keys.")
	} else if n := utf8.RuneCountInString(apiKey); n != apiKeyLength {
		// Kakiyo decides (invalid_api_key_format); this only saves a puzzle.
		resp.Diagnostics.AddWarning("Kakiyo API key of unexpected length", fmt.Sprintf(
			"The Kakiyo API key (the provider's api_key, or %s) has %d characters; Kakiyo's keys have %d. A space or "+
				"line break inside it, or a copy "+
				"that was cut short, would explain it. The provider goes on: Kakiyo's answer decides, and a malformed "+
				"key gets its invalid_api_key_format error.", EnvAPIKey, n, apiKeyLength))
	}

	baseURL := kakiyo.DefaultBaseURL
	if env := strings.TrimSpace(os.Getenv(EnvBaseURL)); env != "" {
		baseURL = env
	}
	if !cfg.BaseURL.IsNull() {
		baseURL = cfg.BaseURL.ValueString()
	}
	if _, err := kakiyo.ParseBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddError("Invalid Kakiyo base URL",
			"The provider's base_url (or "+EnvBaseURL+"): "+err.Error()+". Use the API root, for example "+kakiyo.DefaultBaseURL+".")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	clientCfg := kakiyo.Config{
		BaseURL:    baseURL,
		APIKey:     apiKey,
		UserAgent:  "terraform-provider-kakiyo/" + p.version,
		OnResponse: logResponse,
	}
	retries := int64(kakiyo.DefaultMaxRetries)
	if env := strings.TrimSpace(os.Getenv(EnvMaxRetries)); env != "" {
		n, err := strconv.ParseInt(env, 10, 64)
		if err != nil || n < 0 || n > 100 {
			resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid "+EnvMaxRetries,
				fmt.Sprintf("The %s environment variable must be a whole number from 0 to 100; it is %q.", EnvMaxRetries, env))
		}
		retries = n
	}
	if !cfg.MaxRetries.IsNull() {
		retries = cfg.MaxRetries.ValueInt64()
	}
	clientCfg.MaxRetries = int(retries)
	if retries == 0 {
		clientCfg.MaxRetries = -1 // none
	}
	if rpm := cfg.RequestsPerMinute; !rpm.IsNull() {
		clientCfg.RequestsPerMinute = int(rpm.ValueInt64())
		if rpm.ValueInt64() == 0 {
			clientCfg.RequestsPerMinute = -1 // no limit
		}
	}
	for _, d := range []struct {
		v   types.String
		dst *time.Duration
	}{
		{cfg.MaxRetryTime, &clientCfg.MaxRetryTime},
		{cfg.RetryWaitMin, &clientCfg.RetryWaitMin},
		{cfg.RetryWaitMax, &clientCfg.RetryWaitMax},
		{cfg.RequestTimeout, &clientCfg.RequestTimeout},
	} {
		if known(d.v) {
			*d.dst, _ = time.ParseDuration(d.v.ValueString()) // validated
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := kakiyo.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the Kakiyo API client", err.Error())
		return
	}
	mode := strings.TrimSpace(os.Getenv(EnvRefresh))
	if known(cfg.RefreshMode) {
		mode = cfg.RefreshMode.ValueString()
	}
	switch mode {
	case "", walk.ModeAuto, walk.ModeList, walk.ModeByID:
	default:
		resp.Diagnostics.AddAttributeError(path.Root("refresh_mode"), "Invalid "+EnvRefresh, fmt.Sprintf(
			"The %s environment variable must be %q, %q or %q; it is %q.", EnvRefresh, walk.ModeAuto, walk.ModeList, walk.ModeByID, mode))
		return
	}
	adopt := true
	if env := strings.TrimSpace(os.Getenv(EnvAdopt)); env != "" {
		b, err := strconv.ParseBool(env)
		if err != nil {
			resp.Diagnostics.AddError("Invalid "+EnvAdopt, fmt.Sprintf(
				"The %s environment variable must be true or false; it is %q.", EnvAdopt, env))
			return
		}
		adopt = b
	}
	if known(cfg.AdoptLostCreates) {
		adopt = cfg.AdoptLostCreates.ValueBool()
	}
	agents := newAgentReader(client, mode)
	data := &providerData{client: client, adoptLostCreates: adopt, agents: agents, agentCreates: newAgentCreateGuard(agents, adopt),
		webhooks: newWebhookReader(client, mode), dnc: newDNCReader(client, mode),
		workspaces: newWorkspaceReader(client, mode), campaigns: newCampaignReader(client, mode)}
	exportDir := strings.TrimSpace(os.Getenv(EnvExportDir))
	if known(cfg.ExportDir) {
		exportDir = cfg.ExportDir.ValueString()
	}
	if exportDir != "" {
		data.export = &exporter{dir: exportDir, version: p.version, now: time.Now}
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// logResponse writes one structured line per API request. It never sees
// request headers, so the API key cannot reach the log from here.
func logResponse(ctx context.Context, info kakiyo.RequestInfo) {
	fields := map[string]any{
		"method":      info.Method,
		"path":        info.Path,
		"status":      info.StatusCode,
		"attempt":     info.Attempt,
		"duration_ms": info.Duration.Milliseconds(),
	}
	if info.RetryIn > 0 {
		fields["retry_in_ms"] = info.RetryIn.Milliseconds()
	}
	if info.Throttled > 0 {
		fields["throttled_ms"] = info.Throttled.Milliseconds()
	}
	switch {
	case info.Err != nil:
		fields["error"] = info.Err.Error()
		tflog.Warn(ctx, "Kakiyo API request failed", fields)
	case info.RetryIn > 0:
		tflog.Warn(ctx, "Kakiyo API request will be retried", fields)
	default:
		tflog.Debug(ctx, "Kakiyo API request", fields)
	}
}

func (p *kakiyoProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewAgentResource,
		NewWebhookResource,
		NewDNCEntryResource,
		NewDNCListResource,
		NewWorkspaceResource,
		NewWorkspaceAgentResource,
		NewWorkspaceClientResource,
		NewCampaignResource,
	}
}

// ListResources returns the list resources, for terraform query
// (Terraform 1.14 and later).
func (p *kakiyoProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewAgentListResource,
		NewWebhookListResource,
		NewDNCEntryListResource,
		NewWorkspaceListResource,
		NewCampaignListResource,
	}
}

// Actions returns the actions (Terraform 1.14 and later).
func (p *kakiyoProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewAgentRelaunchAction,
		NewWebhookTestAction,
	}
}

// Functions returns the provider functions (Terraform 1.8 and later).
func (p *kakiyoProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewWorkingDaysFunction,
		NewLinkedInURLFunction,
	}
}

func (p *kakiyoProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAgentDataSource,
		NewAgentsDataSource,
		NewModelDataSource,
		NewModelsDataSource,
		NewProductsDataSource,
		NewPromptsDataSource,
		NewWebhookEventsDataSource,
		NewCampaignAnalyticsDataSource,
	}
}

// dataFrom returns what Configure made, for resources and data sources. It
// is empty before the provider is configured (e.g. in validate).
func dataFrom(data any, diags *diag.Diagnostics) providerData {
	if data == nil {
		return providerData{}
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return providerData{}
	}
	return *d
}

// durationValidator accepts a positive Go duration such as "90s" or "5m".
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 5m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q is not a positive duration: use a number with a unit, such as \"30s\", \"2m\" or \"1h\".",
				req.ConfigValue.ValueString()))
	}
}
