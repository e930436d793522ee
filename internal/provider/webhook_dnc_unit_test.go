package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Unit tests of the webhook and do-not-contact plan logic: what they accept,
// warn about and refuse, without a Terraform CLI.

func TestLinkedInURLSemanticEquality(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		a, b  string
		equal bool
	}{
		{"in/jane", "https://www.linkedin.com/in/Jane/", true},
		{"linkedin.com/in/jane", "https://linkedin.com/in/jane", true},
		{"in/jane", "in/john", false},
		{"not a url", "not a url", false}, // invalid values are never "equal" to anything
	} {
		got, diags := newLinkedInURL(tc.a).StringSemanticEquals(ctx, newLinkedInURL(tc.b))
		if diags.HasError() || got != tc.equal {
			t.Errorf("%q vs %q: %v, want %v", tc.a, tc.b, got, tc.equal)
		}
	}
	var resp xattr.ValidateAttributeResponse
	newLinkedInURL("https://linkedin.com/company/acme").ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: path.Root("url")}, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics[0].Detail(), "in/jane-doe") {
		t.Errorf("a company page: %v", resp.Diagnostics)
	}
}

func resourceSchemaOf(t *testing.T, r resource.Resource) tfsdk.Config {
	t.Helper()
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return tfsdk.Config{Schema: resp.Schema}
}

func stringList(typ tftypes.Type, vals ...string) tftypes.Value {
	elem := tftypes.Type(tftypes.String)
	if l, ok := typ.(tftypes.List); ok {
		elem = l.ElementType
	}
	out := make([]tftypes.Value, len(vals))
	for i, v := range vals {
		out[i] = tftypes.NewValue(elem, v)
	}
	return tftypes.NewValue(typ, out)
}

func stringSet(typ tftypes.Type, vals ...string) tftypes.Value {
	elem := tftypes.Type(tftypes.String)
	if s, ok := typ.(tftypes.Set); ok {
		elem = s.ElementType
	}
	out := make([]tftypes.Value, len(vals))
	for i, v := range vals {
		out[i] = tftypes.NewValue(elem, v)
	}
	return tftypes.NewValue(typ, out)
}

// Event names that no Kakiyo page lists are warned about, not refused;
// secret_wo_version without secret_wo is refused.
func TestWebhookValidateConfig(t *testing.T) {
	ctx := context.Background()
	r := &webhookResource{}
	cfg := resourceSchemaOf(t, r)
	typ := cfg.Schema.Type().TerraformType(ctx)
	for _, tc := range []struct {
		name     string
		events   []string
		version  *int64
		secret   string
		warnings []string
		errors   []string
	}{
		{name: "known events of every family", events: []string{"*", "linkedin.message.sent", "prospect.unqualified", "campaign.completed"}},
		{name: "a typo", events: []string{"linkedin.mesage.sent", "message.sent"},
			warnings: []string{`No Kakiyo page lists the event "linkedin.mesage.sent"`, `"linkedin.message.sent"`}},
		{name: "a version without a secret", events: []string{"*"}, version: ptrInt(2),
			errors: []string{"secret_wo_version says when to send secret_wo again"}},
		{name: "a version with a secret", events: []string{"*"}, version: ptrInt(2), secret: "s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals := map[string]tftypes.Value{"name": str("CRM"), "url": str("https://x.example.com"),
				"events": stringSet(attrType(t, typ, "events"), tc.events...)}
			if tc.version != nil {
				vals["secret_wo_version"] = tftypes.NewValue(tftypes.Number, *tc.version)
			}
			if tc.secret != "" {
				vals["secret_wo"] = str(tc.secret)
			}
			cfg.Raw = objectOf(typ, vals)
			var resp resource.ValidateConfigResponse
			r.ValidateConfig(ctx, resource.ValidateConfigRequest{Config: cfg}, &resp)
			var warnings, errs []string
			for _, d := range resp.Diagnostics {
				if d.Severity() == diag.SeverityError {
					errs = append(errs, d.Detail())
				} else {
					warnings = append(warnings, d.Detail())
				}
			}
			expectAll(t, "warnings", warnings, tc.warnings)
			expectAll(t, "errors", errs, tc.errors)
		})
	}
}

func ptrInt(v int64) *int64 { return &v }

func expectAll(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	joined := strings.Join(got, "\n")
	if len(want) == 0 || len(got) == 0 {
		t.Errorf("%s: got %q, want %q", what, got, want)
		return
	}
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("%s %q lack %q", what, got, w)
		}
	}
}

// kakiyo_dnc_list's configuration: every URL a profile, each profile once
// whatever its spelling; each fault named.
func TestDNCListValidateConfig(t *testing.T) {
	ctx := context.Background()
	r := &dncListResource{}
	cfg := resourceSchemaOf(t, r)
	typ := cfg.Schema.Type().TerraformType(ctx)
	for _, tc := range []struct {
		urls   []string
		errors []string
	}{
		{urls: []string{"in/a", "linkedin.com/in/b", "https://www.linkedin.com/in/c/"}},
		{urls: []string{"in/a", "https://linkedin.com/company/acme"}, errors: []string{`"https://linkedin.com/company/acme" is not a LinkedIn profile URL`}},
		{urls: []string{"in/a", "https://www.linkedin.com/in/A/"}, errors: []string{`"in/a" and "https://www.linkedin.com/in/A/" are the same LinkedIn profile (https://linkedin.com/in/a)`}},
		{urls: []string{"in/a", "in/a"}, errors: []string{`"in/a" is listed twice`, "distinct("}},
	} {
		cfg.Raw = objectOf(typ, map[string]tftypes.Value{"urls": stringList(attrType(t, typ, "urls"), tc.urls...)})
		var resp resource.ValidateConfigResponse
		r.ValidateConfig(ctx, resource.ValidateConfigRequest{Config: cfg}, &resp)
		var errs []string
		for _, d := range resp.Diagnostics {
			errs = append(errs, d.Detail())
		}
		expectAll(t, strings.Join(tc.urls, ","), errs, tc.errors)
	}
}

// The default time limit of removals follows Kakiyo's 30 a minute.
func TestDNCTimeout(t *testing.T) {
	if got := dncTimeout(0); got != 20*time.Minute {
		t.Errorf("nothing to remove: %s", got)
	}
	if got := dncTimeout(2500); got != 20*time.Minute+2500*2*time.Second {
		t.Errorf("2,500 to remove: %s", got)
	}
}
