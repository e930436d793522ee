package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// NewWorkspaceListResource returns the kakiyo_workspace list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewWorkspaceListResource() list.ListResource {
	return &objectListResource[kakiyo.Workspace, workspaceModel]{
		typeName: "_workspace",
		description: "Lists the agency's client workspaces (Kakiyo's Agency plan) for `terraform query` " +
			"(Terraform 1.14 and later): one `GET /workspaces` per query. With `-generate-config-out`, Terraform writes an " +
			"`import` block and a `kakiyo_workspace` block for each.",
		reader:   func(d providerData) *walk.Reader[kakiyo.Workspace] { return d.workspaces },
		listErr:  func(err error) diag.Diagnostic { return workspaceErrorDiagnostic(workspaceObject(""), "list", err) },
		key:      func(w *kakiyo.Workspace) string { return w.ID },
		display:  func(w *kakiyo.Workspace) string { return w.Name },
		identity: func(w *kakiyo.Workspace) any { return idIdentityModel{ID: types.StringValue(w.ID)} },
		toModel: func(_ context.Context, m *workspaceModel, w *kakiyo.Workspace) diag.Diagnostics {
			m.setFromAPI(w)
			return nil
		},
	}
}
