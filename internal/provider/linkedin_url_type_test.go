package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

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
