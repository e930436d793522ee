package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later) for the objects that Kakiyo
// names by one id: import blocks may say identity = { id = "..." }. It
// knows no Kakiyo object: each resource gives its noun and an example id.

type idIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

// idIdentitySchema is the identity of an object named by its id.
func idIdentitySchema(noun, example string) identityschema.Schema {
	return identityschema.Schema{
		Version: 0, // see identitySchemaVersions in golden_state_test.go before changing it
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       fmt.Sprintf("Id of the Kakiyo %s, such as %s.", noun, example),
			},
		},
	}
}

// setIDIdentity records the object's identity, when the CLI has identities.
func setIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, idIdentityModel{ID: types.StringValue(id)})
}

// importedID is the id an import names: `terraform import`'s argument, an
// import block's id, or its identity. It must be one opaque id.
func importedID(ctx context.Context, req resource.ImportStateRequest, noun, example string, diags *diag.Diagnostics) string {
	raw := req.ID
	if raw == "" && req.Identity != nil {
		var identity idIdentityModel
		diags.Append(req.Identity.Get(ctx, &identity)...)
		if diags.HasError() {
			return ""
		}
		raw = identity.ID.ValueString()
	}
	id := strings.TrimSpace(raw)
	if id == "" || strings.ContainsAny(id, "/ \t\n") {
		diags.AddError("Invalid Kakiyo "+noun+" id",
			fmt.Sprintf("Import needs the id of a Kakiyo %s, such as %q; got %q.", noun, example, raw))
		return ""
	}
	return id
}
