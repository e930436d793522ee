package provider

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// base_url with http:// to a host other than this machine is refused at
// plan time, before any request: the key would cross the network in clear.
func TestAccProvider_httpOnlyToLoopback(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: requiredProviders + `
provider "kakiyo" {
  base_url = "http://api.kakiyo.com/v1"
  api_key  = "` + kakiyotest.DefaultAPIKey + `"
}
data "kakiyo_agents" "all" {}
`,
			ExpectError: errorRe("Invalid Kakiyo base URL", "http://", "clear text", "https://"),
		}},
	})
}

// Kakiyo (or a proxy in front of it) redirecting to another host: the
// redirect is not followed (Kakiyo documents none), so the other host gets
// nothing at all, and the error names the redirect and base_url.
func TestAccProvider_redirectToAnotherHostCarriesNoKey(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"missing_api_key","message":"API key is required"}`))
	}))
	t.Cleanup(other.Close)
	srv := kakiyotest.Start(t)
	srv.InjectFault("GET", "/agents", kakiyotest.Fault{Status: http.StatusTemporaryRedirect,
		Header: map[string]string{"Location": other.URL + "/v1/agents"}})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(srv) + `data "kakiyo_agents" "all" {}`,
				ExpectError: errorRe("Kakiyo API answered with a redirect", "HTTP 307", other.URL+"/v1/agents", "base_url"),
			},
			{
				PreConfig: func() {
					mu.Lock()
					defer mu.Unlock()
					if len(keys) != 0 {
						t.Errorf("the redirect was followed: the other host got %d requests (Authorization %q)", len(keys), keys)
					}
					if n := srv.Count("GET", "/agents"); n == 0 {
						t.Error("the double saw no request")
					}
				},
				Config: requiredProviders,
			},
		},
	})
}
