package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// Provider functions (Terraform 1.8 and later, OpenTofu 1.7 and later):
// Kakiyo's value formats, written the way people write them.

var (
	_ function.Function = workingDaysFunction{}
	_ function.Function = linkedInURLFunction{}
)

// stringFunction is a function of one string argument that returns a
// string: the shape of both functions here.
type stringFunction struct {
	name, summary, description string
	param, paramDescription    string
	run                        func(string) (string, error)
}

func (f stringFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = f.name
}

func (f stringFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:             f.summary,
		MarkdownDescription: f.description,
		Parameters: []function.Parameter{
			function.StringParameter{Name: f.param, MarkdownDescription: f.paramDescription},
		},
		Return: function.StringReturn{},
	}
}

func (f stringFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var in string
	if resp.Error = req.Arguments.Get(ctx, &in); resp.Error != nil {
		return
	}
	out, err := f.run(in)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, out)
}

type workingDaysFunction struct{ stringFunction }

// NewWorkingDaysFunction returns provider::kakiyo::working_days.
func NewWorkingDaysFunction() function.Function {
	return workingDaysFunction{stringFunction{
		name:    "working_days",
		summary: "Kakiyo's working-days flags from day names",
		description: "Turns days written as names, ranges and commas into the seven 0/1 flags, Monday first, that " +
			"`kakiyo_agent`'s `working_hours.days` takes: `\"mon-fri\"` gives `\"1:1:1:1:1:0:0\"`, `\"mon,wed,fri\"` " +
			"gives `\"1:0:1:0:1:0:0\"`, `\"sat-sun\"` gives `\"0:0:0:0:0:1:1\"`. Days are `mon` to `sun` or their " +
			"full names, in any case; a range may run across the weekend (`\"fri-mon\"`). Anything else is an error " +
			"that names the part it could not read.",
		param:            "days",
		paramDescription: "Days, such as `\"mon-fri\"` or `\"mon,wed,fri\"`.",
		run:              kakiyo.WorkingDays,
	}}
}

type linkedInURLFunction struct{ stringFunction }

// NewLinkedInURLFunction returns provider::kakiyo::linkedin_url.
func NewLinkedInURLFunction() function.Function {
	return linkedInURLFunction{stringFunction{
		name:    "linkedin_url",
		summary: "A LinkedIn profile URL in the form Kakiyo stores",
		description: "Returns a LinkedIn profile URL in the one form Kakiyo stores, `https://linkedin.com/in/<profile>`, " +
			"from any way of writing it: `\"in/jane-doe\"`, `\"linkedin.com/in/jane-doe/\"`, " +
			"`\"https://www.linkedin.com/in/Jane-Doe?trk=...\"` or a country subdomain all give " +
			"`\"https://linkedin.com/in/jane-doe\"` (profile names are not case sensitive). Anything that is not a " +
			"LinkedIn profile URL (another host, a company page) is an error that says why.",
		param:            "url",
		paramDescription: "A LinkedIn profile URL, written any way.",
		run:              kakiyo.LinkedInProfileURL,
	}}
}
