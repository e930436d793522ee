package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// NewDNCEntryListResource returns the kakiyo_dnc_entry list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewDNCEntryListResource() list.ListResource {
	return &objectListResource[kakiyo.DNCEntry, dncEntryModel]{
		typeName: "_dnc_entry",
		description: "Lists the team's Do Not Contact entries for `terraform query` (Terraform 1.14 and later): " +
			"`GET /dnc`, 1,000 entries a call. With `-generate-config-out`, Terraform writes an `import` block and a " +
			"`kakiyo_dnc_entry` block for each. (For thousands of entries, one `kakiyo_dnc_list` is cheaper to manage " +
			"than a resource each.)",
		reader:   func(d providerData) *walk.Reader[kakiyo.DNCEntry] { return d.dnc },
		listErr:  func(err error) diag.Diagnostic { return apiErrorDiagnostic(dncObject(""), "list", err) },
		key:      func(e *kakiyo.DNCEntry) string { return kakiyo.DNCKey(e.URL) },
		display:  func(e *kakiyo.DNCEntry) string { return kakiyo.DNCKey(e.URL) },
		identity: func(e *kakiyo.DNCEntry) any { return dncIdentityModel{URL: types.StringValue(kakiyo.DNCKey(e.URL))} },
		toModel: func(_ context.Context, m *dncEntryModel, e *kakiyo.DNCEntry) diag.Diagnostics {
			m.setFromAPI(e)
			return nil
		},
	}
}
