package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

// idImport gives a resource whose object Kakiyo names by one id its
// identity schema and its import, by embedding: `terraform import`'s id, an
// import block's id, or its identity (validID checks it before any call).
type idImport struct {
	noun    string // "agent"
	example string // an id, for docs and errors
}

// exampleID is an id as Kakiyo makes them (20 lowercase alphanumerics).
const exampleID = "69724b7100331796aae2"

// IdentitySchema is identity = { id = "..." } (Terraform 1.12 and later).
func (i idImport) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema(i.noun, i.example)
}

// ImportState sets the id and the identity.
func (i idImport) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importedID(ctx, req, i.noun, i.example, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
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
// import block's id, or its identity. It must be one opaque id (validID),
// checked before any call: an id such as "." or "a/b" would name another
// path of the API.
func importedID(ctx context.Context, req resource.ImportStateRequest, noun, example string, diags *diag.Diagnostics) string {
	raw := req.ID
	if raw == "" && identityGiven(req) {
		var identity idIdentityModel
		diags.Append(req.Identity.Get(ctx, &identity)...)
		if diags.HasError() {
			return ""
		}
		raw = identity.ID.ValueString()
	}
	if err := validID(raw); err != nil {
		diags.AddError("Invalid Kakiyo "+noun+" id", fmt.Sprintf(
			"Import needs the id of a Kakiyo %s, such as %q; got %q: %v. Nothing was sent to Kakiyo.",
			noun, example, raw, err))
		return ""
	}
	return raw
}

// identityGiven reports whether an import names its object by identity
// (an import block's identity), rather than by id: a `terraform import`
// with an empty id has a null identity, which is no identity.
func identityGiven(req resource.ImportStateRequest) bool {
	return req.Identity != nil && !req.Identity.Raw.IsNull() && req.Identity.Raw.IsFullyKnown()
}

// maxIDLength bounds an id; Kakiyo's are 20 characters.
const maxIDLength = 128

// validID says what is wrong with id as the id of a Kakiyo object, if
// anything. Kakiyo's ids are opaque (20 lowercase alphanumerics, or
// prefixed ones such as agent_abc123 in its examples): letters, digits and
// . _ ~ : - are accepted, starting with a letter or a digit, which rules
// out "", "." and "..", paths, spaces and control characters.
func validID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("the id is empty")
	case strings.TrimSpace(id) != id:
		return fmt.Errorf("the id has spaces around it")
	case len(id) > maxIDLength:
		return fmt.Errorf("the id is %d characters long, more than %d", len(id), maxIDLength)
	case id == "." || id == "..":
		return fmt.Errorf("%q is not an id", id)
	}
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case i > 0 && strings.ContainsRune("._~:-", r):
		case r == '/':
			return fmt.Errorf("an id has no slash")
		default:
			return fmt.Errorf("the character %q cannot be in an id (letters, digits and . _ ~ : - only, "+
				"starting with a letter or a digit)", r)
		}
	}
	return nil
}
