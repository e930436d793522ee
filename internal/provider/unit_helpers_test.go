package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Helpers of the unit tests, which call the provider's functions directly
// (no Terraform CLI, no TF_ACC).

func agentResourceSchema(t *testing.T) rschema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	NewAgentResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp.Schema
}

// objectOf builds a raw value of the object type typ with the given
// attributes; the others are null.
func objectOf(typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		panic(fmt.Sprintf("objectOf: %s is not an object type", typ))
	}
	m := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		if v, ok := vals[name]; ok {
			m[name] = v
		} else {
			m[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, m)
}

// attrType is the Terraform type of the schema's top-level attribute name.
func attrType(t *testing.T, typ tftypes.Type, name string) tftypes.Type {
	t.Helper()
	at, ok := typ.(tftypes.Object).AttributeTypes[name]
	if !ok {
		t.Fatalf("no attribute %q", name)
	}
	return at
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func objType(t *testing.T, s rschema.Schema, name string) map[string]attr.Type {
	t.Helper()
	ot, ok := s.Attributes[name].GetType().(types.ObjectType)
	if !ok {
		t.Fatalf("%s is not an object", name)
	}
	return ot.AttrTypes
}

// wantDiag checks that diags hold exactly one error whose summary is
// summary and whose detail holds each of details; summary "" means no
// diagnostic at all.
func wantDiag(t *testing.T, diags diag.Diagnostics, summary string, details ...string) {
	t.Helper()
	if summary == "" {
		if len(diags) != 0 {
			t.Errorf("unexpected diagnostics: %v", diags)
		}
		return
	}
	if diags.ErrorsCount() != 1 {
		t.Fatalf("want one error %q, got %v", summary, diags)
	}
	d := diags.Errors()[0]
	if d.Summary() != summary {
		t.Errorf("summary %q, want %q", d.Summary(), summary)
	}
	for _, want := range details {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, d.Detail())
		}
	}
}
