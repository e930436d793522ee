package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// lostAnswer settles a create whose answer was lost (kakiyo.MayHaveCreated),
// for an object that Kakiyo lists and that has no idempotency key: one new
// listing (on its own context: see settleContext) tells whether Kakiyo made
// it. One object just like the one asked for is adopted, with a warning,
// when adoption is allowed (the provider's adopt_lost_creates); otherwise
// the error names it with an import block, as another run may have made it.
// None means Kakiyo made nothing, and the create is sent again
// (createAttempts in all); more than one cannot be told apart, and the
// error names them. It knows no Kakiyo object: the object's file gives its
// noun, how to recognize it, and how to create it again.
type lostAnswer[T any] struct {
	noun string
	// resourceType names the resource in import blocks: "kakiyo_webhook".
	resourceType string
	adopt        bool
	reader       *walkReader[T]
	same         func(*T) bool
	id           func(*T) string
	create       func(context.Context) (*T, error)
	// what describes the object asked for, for messages: `named "CRM" for https://...`.
	what string
}

func (l lostAnswer[T]) settle(ctx context.Context, cause error, diags *diag.Diagnostics) *T {
	for attempt := 1; ; attempt++ {
		sctx, cancel := settleContext(ctx)
		listed, err := l.reader.fresh(sctx)
		cancel()
		if err != nil {
			diags.Append(mayHaveCreatedDiagnostic(l.noun, cause, fmt.Sprintf(
				"Listing the %ss to find out failed too (%v). Look for the %s %s in the Kakiyo dashboard: import it "+
					"(terraform import <address> <id>) if it is there, or apply again if not.", l.noun, err, l.noun, l.what)))
			return nil
		}
		var same []*T
		for _, o := range listed {
			if l.same(o) {
				same = append(same, o)
			}
		}
		switch {
		case len(same) == 1 && !l.adopt:
			diags.Append(mayHaveCreatedDiagnostic(l.noun, cause, fmt.Sprintf(
				"Kakiyo lists one %s %s: %q. It may be the one this create made, or another run using this API key "+
					"may have made it: with adopt_lost_creates = false, the provider adopts none, so that two runs never "+
					"manage one %s. If it is this configuration's, adopt it and apply:\n\nimport {\n  to = %s.<name>\n  "+
					"id = %q\n}", l.noun, l.what, l.id(same[0]), l.noun, l.resourceType, l.id(same[0]))))
			return nil
		case len(same) == 1:
			diags.AddWarning(fmt.Sprintf("Kakiyo %s adopted after a lost answer", l.noun), fmt.Sprintf(
				"The answer to the create was lost (%v), but Kakiyo lists one %s %s: %q. The provider took it as the one "+
					"it created and saved it in the state. If another one was made the same way before, check the "+
					"dashboard for a twin.", cause, l.noun, l.what, l.id(same[0])))
			return same[0]
		case len(same) > 1:
			ids := make([]string, len(same))
			for i, o := range same {
				ids[i] = l.id(o)
			}
			diags.Append(mayHaveCreatedDiagnostic(l.noun, cause, fmt.Sprintf(
				"Kakiyo lists %d %ss %s: %s. The provider cannot tell which one it made. Import the one to keep "+
					"(terraform import <address> <id>) and deal with the others in the dashboard.",
				len(same), l.noun, l.what, strings.Join(ids, ", "))))
			return nil
		case attempt >= createAttempts:
			diags.AddError(fmt.Sprintf("Kakiyo %s not created", l.noun), fmt.Sprintf(
				"The answers to %d creates of the %s %s were lost, and Kakiyo lists none: it made nothing. Last "+
					"outcome: %v\n\nNothing was saved in the state. Run Terraform again.", attempt, l.noun, l.what, cause))
			return nil
		}
		// Kakiyo made nothing: send the create again; a lost answer again is
		// settled the same way.
		tflog.Info(ctx, "Kakiyo made nothing for a create whose answer was lost; sending it again",
			map[string]any{"object": l.noun, "attempt": attempt + 1})
		o, err := l.create(ctx)
		switch {
		case err == nil:
			return o
		case kakiyo.MayHaveCreated(err):
			cause = err
		default:
			diags.Append(apiErrorDiagnostic(object{noun: l.noun}, "create", err))
			return nil
		}
	}
}
