package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// keyServer records the API key of each request it gets and answers with
// status (an agent for 200).
type keyServer struct {
	*httptest.Server
	mu   sync.Mutex
	keys []string
}

func newKeyServer(t *testing.T, status int) *keyServer {
	ks := &keyServer{}
	ks.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ks.mu.Lock()
		ks.keys = append(ks.keys, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		ks.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"id":"a1","status":"running"}`))
	}))
	t.Cleanup(ks.Close)
	return ks
}

func (ks *keyServer) seen() []string {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return append([]string(nil), ks.keys...)
}

// configure runs the provider's Configure with the given provider block
// values (the others null).
func configure(t *testing.T, vals map[string]tftypes.Value) provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	raw := objectOf(sresp.Schema.Type().TerraformType(ctx), vals)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: raw}}, &resp)
	return resp
}

// dataOf is what a successful Configure handed to resources.
func dataOf(t *testing.T, resp provider.ConfigureResponse) *providerData {
	t.Helper()
	d, ok := resp.ResourceData.(*providerData)
	if !ok {
		t.Fatalf("provider data %T", resp.ResourceData)
	}
	return d
}

const (
	envKey    = "env_key_0123456789abcdefghijklmnopqrstuv"
	configKey = "cfg_key_0123456789abcdefghijklmnopqrstuv"
)

func TestConfigurePrecedence(t *testing.T) {
	envSrv, cfgSrv := newKeyServer(t, 200), newKeyServer(t, 200)
	t.Setenv(EnvAPIKey, envKey)
	t.Setenv(EnvBaseURL, envSrv.URL)

	get := func(resp provider.ConfigureResponse) {
		t.Helper()
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		d := dataOf(t, resp)
		if resp.DataSourceData != resp.ResourceData || d.export != nil {
			t.Fatalf("provider data %+v", d)
		}
		c := d.client
		if _, err := c.GetAgent(context.Background(), "a1"); err != nil {
			t.Fatal(err)
		}
	}

	get(configure(t, nil))
	if got := envSrv.seen(); len(got) != 1 || got[0] != envKey {
		t.Errorf("from the environment alone: %q", got)
	}
	get(configure(t, map[string]tftypes.Value{"api_key": str(configKey), "base_url": str(cfgSrv.URL)}))
	if got := cfgSrv.seen(); len(got) != 1 || got[0] != configKey || len(envSrv.seen()) != 1 {
		t.Errorf("the provider block wins over the environment: %q", got)
	}
}

func TestConfigureMaxRetriesPrecedence(t *testing.T) {
	t.Setenv(EnvAPIKey, envKey)
	for _, tc := range []struct {
		name     string
		env      string
		config   map[string]tftypes.Value
		requests int
	}{
		{"environment", "2", nil, 3},
		{"provider block over environment", "2", map[string]tftypes.Value{"max_retries": tftypes.NewValue(tftypes.Number, 0)}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newKeyServer(t, 503)
			t.Setenv(EnvMaxRetries, tc.env)
			vals := map[string]tftypes.Value{"base_url": str(srv.URL), "retry_wait_min": str("1ms"), "retry_wait_max": str("1ms")}
			for k, v := range tc.config {
				vals[k] = v
			}
			resp := configure(t, vals)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			_, _ = dataOf(t, resp).client.GetAgent(context.Background(), "a1")
			if n := len(srv.seen()); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

func TestConfigureErrors(t *testing.T) {
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	cases := []struct {
		name    string
		env     map[string]string
		config  map[string]tftypes.Value
		summary string
		details []string
	}{
		{name: "no key", summary: "Missing Kakiyo API key", details: []string{EnvAPIKey, "API Keys"}},
		{name: "blank key", config: map[string]tftypes.Value{"api_key": str("   ")}, summary: "Missing Kakiyo API key"},
		{name: "unknown key", config: map[string]tftypes.Value{"api_key": unknown}, summary: "Unknown Kakiyo API key"},
		{name: "unknown base_url", env: map[string]string{EnvAPIKey: envKey},
			config: map[string]tftypes.Value{"base_url": unknown}, summary: "Unknown Kakiyo base URL"},
		{name: "bad base_url", env: map[string]string{EnvAPIKey: envKey},
			config: map[string]tftypes.Value{"base_url": str("ftp://example.com")}, summary: "Invalid Kakiyo base URL",
			details: []string{"https://"}},
		{name: "bad base_url from the environment", env: map[string]string{EnvAPIKey: envKey, EnvBaseURL: "not a url"},
			summary: "Invalid Kakiyo base URL"},
		{name: "http to another host", env: map[string]string{EnvAPIKey: envKey},
			config: map[string]tftypes.Value{"base_url": str("http://api.kakiyo.com/v1")}, summary: "Invalid Kakiyo base URL",
			details: []string{"clear text", "https://", "localhost"}},
		{name: "http to another host, from the environment", env: map[string]string{EnvAPIKey: envKey, EnvBaseURL: "http://10.1.2.3/v1"},
			summary: "Invalid Kakiyo base URL", details: []string{"clear text"}},
		{name: "non-numeric max retries", env: map[string]string{EnvAPIKey: envKey, EnvMaxRetries: "lots"},
			summary: "Invalid " + EnvMaxRetries, details: []string{`"lots"`, "0 to 100"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			resp := configure(t, tc.config)
			wantDiag(t, resp.Diagnostics, tc.summary, tc.details...)
			if resp.ResourceData != nil {
				t.Error("a failed Configure must not hand out a client")
			}
		})
	}
}

// A key of another length than Kakiyo's 40 gets a warning with its length,
// never its value; the provider still goes on.
func TestConfigureKeyLength(t *testing.T) {
	srv := newKeyServer(t, 200)
	for key, warn := range map[string]bool{envKey: false, envKey[:39]: true, envKey + "x": true, "abc def": true} {
		resp := configure(t, map[string]tftypes.Value{"api_key": str(key), "base_url": str(srv.URL)})
		if resp.Diagnostics.HasError() || resp.ResourceData == nil {
			t.Fatalf("%q: %v", key, resp.Diagnostics)
		}
		if got := resp.Diagnostics.WarningsCount() == 1; got != warn {
			t.Fatalf("%q: warnings %v, want one: %v", key, resp.Diagnostics, warn)
		}
		if warn {
			d := resp.Diagnostics.Warnings()[0]
			if !strings.Contains(d.Detail(), fmt.Sprintf("has %d characters", len(key))) || strings.Contains(d.Detail(), key) {
				t.Errorf("%q: %s", key, d.Detail())
			}
		}
	}
}

func TestConfigureExportDir(t *testing.T) {
	t.Setenv(EnvAPIKey, envKey)
	t.Setenv(EnvExportDir, "/from/env")
	dir := func(vals map[string]tftypes.Value) string {
		resp := configure(t, vals)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		d := dataOf(t, resp)
		if d.export == nil {
			return ""
		}
		return d.export.dir
	}
	if got := dir(nil); got != "/from/env" {
		t.Errorf("from the environment: %q", got)
	}
	if got := dir(map[string]tftypes.Value{"export_dir": str("/from/config")}); got != "/from/config" {
		t.Errorf("the provider block wins: %q", got)
	}
	t.Setenv(EnvExportDir, "")
	if got := dir(nil); got != "" {
		t.Errorf("unset means off: %q", got)
	}
}
