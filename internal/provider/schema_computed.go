package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// computed declares, once, a read-only attribute that a resource and its
// data sources share (what Kakiyo reports of an object): its type and its
// description. It yields the resource's and the data source's schema
// attribute, and the attribute types that nested values are built with, so
// that the three never disagree.
type computed struct {
	kind  computedKind
	desc  string
	attrs map[string]computed // of an object, or of a list's objects
}

type computedKind int

const (
	computedString computedKind = iota
	computedInt64
	computedFloat64
	computedBool
	computedObject
	computedObjectList
)

func cString(desc string) computed  { return computed{kind: computedString, desc: desc} }
func cInt64(desc string) computed   { return computed{kind: computedInt64, desc: desc} }
func cFloat64(desc string) computed { return computed{kind: computedFloat64, desc: desc} }
func cBool(desc string) computed    { return computed{kind: computedBool, desc: desc} }

func cObject(desc string, attrs map[string]computed) computed {
	return computed{kind: computedObject, desc: desc, attrs: attrs}
}

func cObjectList(desc string, attrs map[string]computed) computed {
	return computed{kind: computedObjectList, desc: desc, attrs: attrs}
}

// attrTypes are the attribute types of an object's (or a list's objects')
// attributes.
func (c computed) attrTypes() map[string]attr.Type {
	m := make(map[string]attr.Type, len(c.attrs))
	for name, a := range c.attrs {
		m[name] = a.attrType()
	}
	return m
}

func (c computed) attrType() attr.Type {
	switch c.kind {
	case computedInt64:
		return types.Int64Type
	case computedFloat64:
		return types.Float64Type
	case computedBool:
		return types.BoolType
	case computedObject:
		return types.ObjectType{AttrTypes: c.attrTypes()}
	case computedObjectList:
		return types.ListType{ElemType: types.ObjectType{AttrTypes: c.attrTypes()}}
	}
	return types.StringType
}

// resource is the attribute in a resource schema.
func (c computed) resource() rschema.Attribute {
	switch c.kind {
	case computedInt64:
		return rschema.Int64Attribute{Computed: true, MarkdownDescription: c.desc}
	case computedFloat64:
		return rschema.Float64Attribute{Computed: true, MarkdownDescription: c.desc}
	case computedBool:
		return rschema.BoolAttribute{Computed: true, MarkdownDescription: c.desc}
	case computedObject:
		return rschema.SingleNestedAttribute{Computed: true, MarkdownDescription: c.desc, Attributes: c.resourceAttrs()}
	case computedObjectList:
		return rschema.ListNestedAttribute{Computed: true, MarkdownDescription: c.desc,
			NestedObject: rschema.NestedAttributeObject{Attributes: c.resourceAttrs()}}
	}
	return rschema.StringAttribute{Computed: true, MarkdownDescription: c.desc}
}

func (c computed) resourceAttrs() map[string]rschema.Attribute {
	m := make(map[string]rschema.Attribute, len(c.attrs))
	for name, a := range c.attrs {
		m[name] = a.resource()
	}
	return m
}

// dataSource is the attribute in a data source schema.
func (c computed) dataSource() dschema.Attribute {
	switch c.kind {
	case computedInt64:
		return dschema.Int64Attribute{Computed: true, MarkdownDescription: c.desc}
	case computedFloat64:
		return dschema.Float64Attribute{Computed: true, MarkdownDescription: c.desc}
	case computedBool:
		return dschema.BoolAttribute{Computed: true, MarkdownDescription: c.desc}
	case computedObject:
		return dschema.SingleNestedAttribute{Computed: true, MarkdownDescription: c.desc, Attributes: c.dataSourceAttrs()}
	case computedObjectList:
		return dschema.ListNestedAttribute{Computed: true, MarkdownDescription: c.desc,
			NestedObject: dschema.NestedAttributeObject{Attributes: c.dataSourceAttrs()}}
	}
	return dschema.StringAttribute{Computed: true, MarkdownDescription: c.desc}
}

func (c computed) dataSourceAttrs() map[string]dschema.Attribute {
	m := make(map[string]dschema.Attribute, len(c.attrs))
	for name, a := range c.attrs {
		m[name] = a.dataSource()
	}
	return m
}

// pick returns the named attributes of set, e.g. for a list's summary of
// an object.
func pick(set map[string]computed, names ...string) map[string]computed {
	m := make(map[string]computed, len(names))
	for _, n := range names {
		a, ok := set[n]
		if !ok {
			panic("provider: no attribute " + n + " to pick")
		}
		m[n] = a
	}
	return m
}
