package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// An unknown provider configuration (api_key from another resource, or a
// Stacks component's output), through the protocol as Terraform sends it:
// with the client's deferral capability, ConfigureProvider answers without
// a diagnostic and the agent's plan is deferred (reason: provider config
// unknown) without a call; without it, the error names what is unknown. A
// known configuration is never deferred.
func TestConfigureProviderDeferral(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx)
	config := func(apiKey tftypes.Value) *tfprotov6.DynamicValue {
		t.Helper()
		dv, err := tfprotov6.NewDynamicValue(typ, objectOf(typ, map[string]tftypes.Value{
			"api_key":  apiKey,
			"base_url": tftypes.NewValue(tftypes.String, "http://127.0.0.1:1/v1"),
		}))
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	unknownKey := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	knownKey := tftypes.NewValue(tftypes.String, configKey)

	for _, tc := range []struct {
		name          string
		apiKey        tftypes.Value
		allowDeferral bool
		deferred      bool
		summary       string
	}{
		{name: "unknown api_key, deferral allowed", apiKey: unknownKey, allowDeferral: true, deferred: true},
		{name: "unknown api_key, no deferral", apiKey: unknownKey, summary: "Unknown Kakiyo API key"},
		{name: "known api_key, deferral allowed", apiKey: knownKey, allowDeferral: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			server := providerserver.NewProtocol6(New("test")())()
			if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
				t.Fatal(err)
			}
			resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
				TerraformVersion:   "1.16.4",
				Config:             config(tc.apiKey),
				ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: tc.allowDeferral},
			})
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					errs = append(errs, d.Summary)
				}
			}
			switch {
			case tc.summary == "" && len(errs) != 0:
				t.Fatalf("errors: %q", errs)
			case tc.summary != "" && (len(errs) != 1 || errs[0] != tc.summary):
				t.Fatalf("errors: %q, want exactly %q", errs, tc.summary)
			}
			if tc.summary != "" {
				return
			}
			// The protocol's answer to ConfigureProvider has no deferral:
			// the framework keeps it and defers every later call of the run,
			// such as the agent's plan, with no call to Kakiyo (base_url
			// answers nothing).
			agentType := agentResourceSchema(t).Type().TerraformType(ctx)
			proposed, err := tfprotov6.NewDynamicValue(agentType, objectOf(agentType, map[string]tftypes.Value{}))
			if err != nil {
				t.Fatal(err)
			}
			prior, err := tfprotov6.NewDynamicValue(agentType, tftypes.NewValue(agentType, nil))
			if err != nil {
				t.Fatal(err)
			}
			plan, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
				TypeName: "kakiyo_agent", PriorState: &prior, ProposedNewState: &proposed, Config: &proposed,
				ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: true},
			})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.deferred && (plan.Deferred == nil || plan.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown):
				t.Errorf("agent plan: deferred %+v, diagnostics %+v; want deferred, provider config unknown", plan.Deferred, plan.Diagnostics)
			case !tc.deferred && plan.Deferred != nil:
				t.Errorf("agent plan: deferred %+v, want none", plan.Deferred)
			case len(plan.Diagnostics) != 0:
				t.Errorf("agent plan: diagnostics %+v", plan.Diagnostics)
			}
		})
	}
}
