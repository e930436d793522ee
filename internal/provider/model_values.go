package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Models to Terraform values and back, for structs whose fields are all
// framework values (types.String, types.Object, ...) tagged `tfsdk:"name"`,
// embedded structs included. It does what the framework's Get, Set and
// ObjectValueFrom do for such structs, without their per-call reflection
// (which compiles a regular expression for every field of every value): a
// refresh of hundreds of agents runs it for each.

type modelField struct {
	name  string
	index []int
}

var modelFields sync.Map // reflect.Type -> []modelField

// fieldsOf lists the tagged fields of the struct type t, embedded structs
// included.
func fieldsOf(t reflect.Type) []modelField {
	if f, ok := modelFields.Load(t); ok {
		if fields, ok := f.([]modelField); ok {
			return fields
		}
	}
	var fields []modelField
	for _, f := range reflect.VisibleFields(t) {
		if name := f.Tag.Get("tfsdk"); name != "" && name != "-" {
			fields = append(fields, modelField{name: name, index: f.Index})
		}
	}
	modelFields.Store(t, fields)
	return fields
}

// valuesOf returns the attribute values of the struct that v points to.
func valuesOf(v any) (map[string]attr.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	rv := reflect.Indirect(reflect.ValueOf(v))
	fields := fieldsOf(rv.Type())
	out := make(map[string]attr.Value, len(fields))
	for _, f := range fields {
		val, ok := rv.FieldByIndex(f.index).Interface().(attr.Value)
		if !ok {
			diags.AddError("Provider bug: "+f.name+" is not a framework value", fmt.Sprintf("In %s.", rv.Type()))
			return nil, diags
		}
		out[f.name] = val
	}
	return out, diags
}

// objectValue is types.ObjectValueFrom for a struct of framework values.
func objectValue(attrTypes map[string]attr.Type, v any) (types.Object, diag.Diagnostics) {
	vals, diags := valuesOf(v)
	if diags.HasError() {
		return types.ObjectUnknown(attrTypes), diags
	}
	return types.ObjectValue(attrTypes, vals)
}

// terraformValue is the Terraform value of a model of type typ (the
// schema's), for resp.State.Raw: what State.Set makes.
func terraformValue(ctx context.Context, typ attr.Type, model any) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	objType, ok := typ.TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Provider bug: not an object schema", fmt.Sprintf("%T", typ))
		return tftypes.Value{}, diags
	}
	vals := make(map[string]tftypes.Value, len(objType.AttributeTypes))
	values, d := valuesOf(model)
	if diags.Append(d...); diags.HasError() {
		return tftypes.Value{}, diags
	}
	for name, v := range values {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Provider bug: converting "+name, err.Error())
			return tftypes.Value{}, diags
		}
		vals[name] = tv
	}
	if err := tftypes.ValidateValue(objType, vals); err != nil {
		diags.AddError("Provider bug: the model does not fit the schema", err.Error())
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(objType, vals), diags
}

// attributeTyped is what a schema's attributes are: enough to give each
// its type.
type attributeTyped interface{ GetType() attr.Type }

// modelFrom fills the struct that out points to from raw, a value of the
// schema whose attributes are attrs: what State.Get (or Plan.Get) does.
func modelFrom[A attributeTyped](ctx context.Context, attrs map[string]A, raw tftypes.Value, out any) diag.Diagnostics {
	var diags diag.Diagnostics
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil {
		diags.AddError("Provider bug: reading the state", err.Error())
		return diags
	}
	rv := reflect.Indirect(reflect.ValueOf(out))
	for _, f := range fieldsOf(rv.Type()) {
		a, ok := attrs[f.name]
		if !ok {
			diags.AddError("Provider bug: no attribute "+f.name, "The model and the schema disagree.")
			return diags
		}
		v, err := a.GetType().ValueFromTerraform(ctx, vals[f.name])
		if err != nil {
			diags.AddError("Provider bug: reading "+f.name, err.Error())
			return diags
		}
		field := rv.FieldByIndex(f.index)
		av := reflect.ValueOf(v)
		if !av.Type().AssignableTo(field.Type()) {
			// A custom value type: convert through its own type.
			if !av.Type().ConvertibleTo(field.Type()) {
				diags.AddError("Provider bug: reading "+f.name, fmt.Sprintf("%T is not a %s", v, field.Type()))
				return diags
			}
			av = av.Convert(field.Type())
		}
		field.Set(av)
	}
	return diags
}

// getState, getPlan and getConfig are State.Get, Plan.Get and Config.Get
// (see modelFrom); setState is State.Set.
func getState(ctx context.Context, s tfsdk.State, out any) diag.Diagnostics {
	return modelFrom(ctx, s.Schema.GetAttributes(), s.Raw, out)
}

func getPlan(ctx context.Context, p tfsdk.Plan, out any) diag.Diagnostics {
	return modelFrom(ctx, p.Schema.GetAttributes(), p.Raw, out)
}

func getConfig(ctx context.Context, c tfsdk.Config, out any) diag.Diagnostics {
	return modelFrom(ctx, c.Schema.GetAttributes(), c.Raw, out)
}

func setState(ctx context.Context, s *tfsdk.State, model any) diag.Diagnostics {
	raw, diags := terraformValue(ctx, s.Schema.Type(), model)
	if !diags.HasError() {
		s.Raw = raw
	}
	return diags
}

// emptyObject is an object of the schema type typ whose attributes are all
// null: a model read from it holds typed nulls.
func emptyObject(ctx context.Context, typ attr.Type) tftypes.Value {
	objType, ok := typ.TerraformType(ctx).(tftypes.Object)
	if !ok {
		return tftypes.Value{}
	}
	vals := make(map[string]tftypes.Value, len(objType.AttributeTypes))
	for name, t := range objType.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
	}
	return tftypes.NewValue(objType, vals)
}

// known reports whether v is neither null nor unknown: a value Terraform
// knows. The one helper for it in this package.
func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }
