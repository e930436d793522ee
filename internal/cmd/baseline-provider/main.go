// Command baseline-provider is the benchmarks' yardstick: the smallest
// terraform-plugin-framework provider, whose resources do nothing but
// return what Terraform planned. It pays every cost of a plugin (process,
// gRPC, schema, state encoding) and no API call, so that kakiyo_agent's
// overhead is measured against a provider, not against Terraform's built-in
// terraform_data. Two resources: baseline_item (two attributes) and
// baseline_agent (kakiyo_agent's own schema, so that Terraform handles
// states of the same shape and size). Used by make bench only.
package main

import (
	"context"
	"log"
	"strconv"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	kakiyo "github.com/kakiyo/terraform-provider-kakiyo/internal/provider"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/quietlog"
)

func main() {
	// The same logging as the kakiyo provider's, so that the comparison is
	// of the providers' own work.
	quietlog.UnlessAsked()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return baseline{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/kakiyo/baseline"})
	if err != nil {
		log.Fatal(err)
	}
}

type baseline struct{}

func (baseline) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "baseline"
}

func (baseline) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}

func (baseline) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}

func (baseline) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &item{} },
		func() resource.Resource { return &agent{} },
	}
}

func (baseline) DataSources(context.Context) []func() datasource.DataSource { return nil }

var ids atomic.Int64

type item struct{}

type itemModel struct {
	ID    types.String `tfsdk:"id"`
	Input types.Int64  `tfsdk:"input"`
}

func (*item) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_item"
}

func (*item) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"input": schema.Int64Attribute{Optional: true},
	}}
}

func (*item) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m itemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = types.StringValue(strconv.FormatInt(ids.Add(1), 10))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (*item) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m itemModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (*item) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m itemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (*item) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// agent has kakiyo_agent's schema and calls nothing: computed values that
// the plan left unknown get values of their type.
type agent struct{}

func (*agent) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent"
}

func (*agent) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	kakiyo.NewAgentResource().Schema(ctx, req, resp)
}

func (*agent) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
	resp.State.Raw = setID(resp.State.Raw)
}

func (*agent) Read(_ context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	resp.State.Raw = req.State.Raw
}

func (*agent) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (*agent) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// known replaces the unknown values of v with values of their type
// (strings "baseline", numbers 0, objects of such values, empty lists), so
// that the state has the shape and size of a kakiyo_agent's, whose computed
// values Kakiyo fills.
func known(v tftypes.Value) tftypes.Value {
	out, _ := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return zero(v.Type()), nil
		}
		return v, nil
	})
	return out
}

func zero(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "baseline")
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, 0)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.Object{}):
		obj, _ := t.(tftypes.Object)
		vals := map[string]tftypes.Value{}
		for name, at := range obj.AttributeTypes {
			vals[name] = zero(at)
		}
		return tftypes.NewValue(t, vals)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	}
	return tftypes.NewValue(t, nil)
}

// setID gives the object an id, as any resource has one.
func setID(v tftypes.Value) tftypes.Value {
	out, _ := tftypes.Transform(v, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if p.Equal(tftypes.NewAttributePath().WithAttributeName("id")) {
			return tftypes.NewValue(tftypes.String, strconv.FormatInt(ids.Add(1), 10)), nil
		}
		return v, nil
	})
	return out
}
