// Package provider implements the Kakiyo Terraform provider.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// Environment variables read when the provider block leaves a value unset.
const (
	EnvAPIKey  = "KAKIYO_API_KEY"
	EnvBaseURL = "KAKIYO_BASE_URL"
)

var _ provider.Provider = (*kakiyoProvider)(nil)

type kakiyoProvider struct {
	version string
}

type providerModel struct {
	APIKey  types.String `tfsdk:"api_key"`
	BaseURL types.String `tfsdk:"base_url"`
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
		},
	}
}

func (p *kakiyoProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.APIKey.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Unknown Kakiyo API key",
			"The provider cannot be configured because api_key depends on a value that is not known until apply. "+
				"Set it to a known value, or leave it out and set the "+EnvAPIKey+" environment variable.")
	}
	if cfg.BaseURL.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Unknown Kakiyo base URL",
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
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing Kakiyo API key",
			"The provider needs a Kakiyo API key to call the Kakiyo API. Set api_key in the provider block, "+
				"or set the "+EnvAPIKey+" environment variable (recommended: it keeps the key out of your configuration). "+
				"Keys are created in the Kakiyo dashboard under API Keys.")
	}

	baseURL := kakiyo.DefaultBaseURL
	if env := strings.TrimSpace(os.Getenv(EnvBaseURL)); env != "" {
		baseURL = env
	}
	if !cfg.BaseURL.IsNull() {
		baseURL = cfg.BaseURL.ValueString()
	}
	if _, err := kakiyo.ParseBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Kakiyo base URL",
			err.Error()+". Use the API root, for example "+kakiyo.DefaultBaseURL+".")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := kakiyo.New(kakiyo.Config{
		BaseURL:    baseURL,
		APIKey:     apiKey,
		UserAgent:  "terraform-provider-kakiyo/" + p.version,
		OnResponse: logResponse,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the Kakiyo API client", err.Error())
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
}

// logResponse writes one structured line per API request. It never sees
// request headers, so the API key cannot reach the log from here.
func logResponse(ctx context.Context, info kakiyo.RequestInfo) {
	fields := map[string]any{
		"method":      info.Method,
		"path":        info.Path,
		"status":      info.StatusCode,
		"duration_ms": info.Duration.Milliseconds(),
	}
	if info.Err != nil {
		fields["error"] = info.Err.Error()
		tflog.Warn(ctx, "Kakiyo API request failed", fields)
		return
	}
	tflog.Debug(ctx, "Kakiyo API request", fields)
}

func (p *kakiyoProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewAgentResource,
	}
}

func (p *kakiyoProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAgentDataSource,
		NewAgentsDataSource,
	}
}

// clientFrom returns the client that Configure made, for resources and data
// sources. It is nil before the provider is configured (e.g. in validate).
func clientFrom(providerData any, diags *diag.Diagnostics) *kakiyo.Client {
	if providerData == nil {
		return nil
	}
	client, ok := providerData.(*kakiyo.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *kakiyo.Client, got %T. This is a bug in the provider; please report it.", providerData))
	}
	return client
}
