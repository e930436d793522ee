package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// linkedInURLType is a string holding a LinkedIn profile URL in any
// spelling Kakiyo accepts ("in/jane", "linkedin.com/in/jane/",
// "https://www.linkedin.com/in/Jane"). Two spellings of one profile are
// semantically equal: Kakiyo answering with its own spelling is no change.
type linkedInURLType struct{ basetypes.StringType }

var (
	_ basetypes.StringTypable                    = linkedInURLType{}
	_ basetypes.StringValuableWithSemanticEquals = linkedInURL{}
	_ xattr.ValidateableAttribute                = linkedInURL{}
)

func (t linkedInURLType) Equal(o attr.Type) bool {
	_, ok := o.(linkedInURLType)
	return ok
}

func (t linkedInURLType) String() string { return "linkedInURLType" }

func (t linkedInURLType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return linkedInURL{StringValue: in}, nil
}

func (t linkedInURLType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return linkedInURL{StringValue: s}, nil
}

func (t linkedInURLType) ValueType(context.Context) attr.Value { return linkedInURL{} }

// linkedInURL is a value of linkedInURLType.
type linkedInURL struct{ basetypes.StringValue }

func newLinkedInURL(s string) linkedInURL {
	return linkedInURL{StringValue: basetypes.NewStringValue(s)}
}

func (v linkedInURL) Type(context.Context) attr.Type { return linkedInURLType{} }

func (v linkedInURL) Equal(o attr.Value) bool {
	other, ok := o.(linkedInURL)
	return ok && v.StringValue.Equal(other.StringValue)
}

// canonical is the URL as Kakiyo stores it, or "" when it is not a profile
// URL (or not known).
func (v linkedInURL) canonical() string {
	if !known(v) {
		return ""
	}
	u, err := kakiyo.LinkedInProfileURL(v.ValueString())
	if err != nil {
		return ""
	}
	return u
}

// StringSemanticEquals: two spellings of one profile are equal.
func (v linkedInURL) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	other, ok := newValuable.(linkedInURL)
	if !ok {
		return false, nil
	}
	a, b := v.canonical(), other.canonical()
	return a != "" && a == b, nil
}

// ValidateAttribute refuses what is not a LinkedIn profile URL, naming it.
func (v linkedInURL) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if !known(v) {
		return
	}
	if _, err := kakiyo.LinkedInProfileURL(v.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid LinkedIn profile URL", fmt.Sprintf(
			"%s.\n\nKakiyo lists LinkedIn profiles only. Any of these spellings works: \"https://www.linkedin.com/in/jane-doe/\", "+
				"\"linkedin.com/in/jane-doe\", \"in/jane-doe\".", err))
	}
}

// sameProfileKeepsState plans the state's spelling of url when the
// configuration spells the same profile another way, so that the plan says
// "No changes" instead of an update that would call nothing. (The framework
// applies semantic equality to what a read or an apply returns, never to a
// plan; Terraform accepts the prior value as the planned one.) Another
// profile is planned as configured.
type sameProfileKeepsState struct{}

var _ planmodifier.String = sameProfileKeepsState{}

func (sameProfileKeepsState) Description(context.Context) string {
	return "Another spelling of the profile in state keeps the state's spelling: no change."
}

func (m sameProfileKeepsState) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (sameProfileKeepsState) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if sameProfile(req.StateValue, req.PlanValue) {
		resp.PlanValue = req.StateValue
	}
}

// sameProfile reports whether prior and planned, both known, spell one
// LinkedIn profile.
func sameProfile(prior, planned types.String) bool {
	if !known(prior) || !known(planned) {
		return false
	}
	a, b := newLinkedInURL(prior.ValueString()).canonical(), newLinkedInURL(planned.ValueString()).canonical()
	return a != "" && a == b
}

// sameProfilesKeepState is sameProfileKeepsState for a list of profile
// URLs (kakiyo_dnc_list.urls): the same profiles, in any spelling and any
// order, keep the state's list.
type sameProfilesKeepState struct{}

var _ planmodifier.List = sameProfilesKeepState{}

func (sameProfilesKeepState) Description(context.Context) string {
	return "The same profiles in other spellings or another order keep the state's list: no change."
}

func (m sameProfilesKeepState) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (sameProfilesKeepState) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if !known(req.StateValue) || !known(req.PlanValue) {
		return
	}
	prior, planned := req.StateValue.Elements(), req.PlanValue.Elements()
	if len(prior) != len(planned) {
		return
	}
	have := make(map[string]bool, len(prior))
	for _, v := range prior {
		s, ok := v.(types.String)
		if !ok || !known(s) {
			return
		}
		have[newLinkedInURL(s.ValueString()).canonical()] = true
	}
	for _, v := range planned {
		s, ok := v.(types.String)
		if !ok || !known(s) {
			return
		}
		p := newLinkedInURL(s.ValueString()).canonical()
		if p == "" || !have[p] {
			return
		}
	}
	if len(have) != len(planned) {
		return // a profile twice in state: plan as configured
	}
	resp.PlanValue = req.StateValue
}
