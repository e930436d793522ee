package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// NewPromptsDataSource returns kakiyo_prompts.
func NewPromptsDataSource() datasource.DataSource {
	return &listDataSource[kakiyo.Prompt]{
		typeName: "prompts", attr: "prompts", noun: "prompts",
		desc: "Lists the prompts of the API key's team (`GET /prompts`, one call per page), sorted by id: the " +
			"instructions of a campaign's messages or invitations (`prompt_id`). Kakiyo has not documented the " +
			"answer's shape; every plausible one is read.",
		item: cObjectList("The prompts.", map[string]computed{
			"id": cString("Id of the prompt."), "name": cString("Name of the prompt."),
			"type":  cString("What the prompt writes, such as `message` or `invitation`."),
			"model": cString("The model the prompt uses."),
		}),
		list: (*kakiyo.Client).ListPrompts,
		id:   func(p *kakiyo.Prompt) string { return p.ID },
		values: func(p *kakiyo.Prompt) map[string]attr.Value {
			return map[string]attr.Value{"id": types.StringValue(p.ID), "name": types.StringPointerValue(p.Name),
				"type": types.StringPointerValue(p.Type), "model": types.StringPointerValue(p.Model)}
		},
	}
}
