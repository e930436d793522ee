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
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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

func runModifyPlan(t *testing.T, r resource.ResourceWithModifyPlan, cases []planCase) {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := resource.ModifyPlanRequest{
				State: tfsdk.State{Schema: sr.Schema, Raw: tc.state},
				Plan:  tfsdk.Plan{Schema: sr.Schema, Raw: tc.plan},
			}
			resp := resource.ModifyPlanResponse{Plan: req.Plan}
			r.ModifyPlan(ctx, req, &resp)
			if tc.severity == 0 {
				if len(resp.Diagnostics) != 0 {
					t.Errorf("diagnostics: %v", resp.Diagnostics)
				}
				return
			}
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("want one diagnostic, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Severity() != tc.severity || d.Summary() != tc.summary {
				t.Errorf("got %s %q, want %s %q", d.Severity(), d.Summary(), tc.severity, tc.summary)
			}
			for _, want := range tc.details {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail lacks %q:\n%s", want, d.Detail())
				}
			}
		})
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

type planCase struct {
	name        string
	state, plan tftypes.Value
	severity    diag.Severity // 0: no diagnostic
	summary     string
	details     []string
}
