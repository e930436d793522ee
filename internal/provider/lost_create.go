package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// lostCreate is the one way every resource creates an object that Kakiyo
// creates without an idempotency key, and settles a create whose answer was
// lost (kakiyo.MayHaveCreated: the connection dropped after Kakiyo handled
// it, a 502, a timeout, Ctrl-C, a 2xx answer that is not the new object).
// A listing made right after the loss, on a context of its own
// (settleContext), tells what Kakiyo made:
//
//   - nothing: the create is sent again (walk.CreateAttempts in all);
//   - an object that can only be this create's: it is adopted, with a
//     warning, when adoption is allowed (the provider's adopt_lost_creates);
//   - otherwise (several, or adoption not allowed because another run on the
//     same key may have made it): none is adopted, and the error names the
//     candidates with import blocks.
//
// How the listing tells, there are two ways, one per kind of object; the
// entry point, the loop, the constant and the messages are the same:
//
//   - by a baseline (guard, a run.CreateGuard): objects with nothing to match
//     on, such as agents (POST /agents has no body). The run lists the
//     objects before its first create; the candidates are fresh objects new
//     since, claimed by no create of the run.
//   - by attributes (reader and same): objects that Kakiyo lists with what
//     was asked for (a webhook's name, URL and events; a workspace's name; a
//     campaign's name and agent). The candidates are the listed objects just
//     like the one asked for; no call is spent before the create.
//
// It knows no Kakiyo object: the object's file gives its noun, how to find
// it, and the words for its candidates.
type lostCreate[T any] struct {
	noun string
	// resourceType names the resource in import blocks: "kakiyo_webhook".
	resourceType string
	adopt        bool
	id           func(*T) string

	// By a baseline: guard. By attributes: reader and same.
	guard  *walk.CreateGuard[T]
	reader *walk.Reader[T]
	same   func(*T) bool

	// candidates says what the candidates are, for messages:
	// `in status "setup_needed" that no create of this run claimed`, or
	// `named "CRM" for https://... with the events [...]`.
	candidates string
	// failed reports a create that surely made nothing; nil:
	// apiErrorDiagnostic.
	failed func(err error) diag.Diagnostic
}

// create sends send (the object's create) and returns what it made: the
// object of its answer, or the one a lost answer's settlement adopted
// (adopted is then true), or nil with diagnostics.
func (l lostCreate[T]) create(ctx context.Context, send func(context.Context) (*T, error), diags *diag.Diagnostics) (obj *T, adopted bool) {
	for attempt := 1; ; attempt++ {
		if l.guard != nil {
			if err := l.guard.Begin(ctx); err != nil {
				diags.Append(l.failure(err))
				return nil, false
			}
		}
		o, err := send(ctx)
		switch {
		case err == nil:
			if l.guard != nil {
				l.guard.Created(l.id(o))
			}
			return o, false
		case !kakiyo.MayHaveCreated(err):
			if l.guard != nil {
				l.guard.Failed()
			}
			diags.Append(l.failure(err))
			return nil, false
		}
		out := l.settle(ctx)
		switch {
		case out.Adopted != nil:
			tflog.Warn(ctx, "Adopted the Kakiyo object that a create with a lost answer made",
				map[string]any{"kind": l.noun, "id": l.id(out.Adopted)})
			diags.Append(adoptedDiagnostic(l.noun, l.id(out.Adopted), l.candidates, err))
			return out.Adopted, true
		case out.Retry && attempt < walk.CreateAttempts:
			tflog.Info(ctx, "Kakiyo made nothing for a create whose answer was lost; sending it again",
				map[string]any{"kind": l.noun, "attempt": attempt + 1})
			continue
		case out.Retry:
			diags.Append(notCreatedDiagnostic(l.noun, attempt, err))
		case out.Candidates != nil:
			diags.Append(candidatesDiagnostic(l.noun, l.resourceType, l.candidates, out.Candidates, out.Unsure, err))
		default:
			diags.Append(unsettledDiagnostic(l.noun, l.candidates, err, out.Err))
		}
		return nil, false
	}
}

func (l lostCreate[T]) failure(err error) diag.Diagnostic {
	if l.failed != nil {
		return l.failed(err)
	}
	return apiErrorDiagnostic(object{noun: l.noun}, "create", err)
}

// settle finds out what a lost answer made: from the guard's listing, or
// from one new listing matched by attributes.
func (l lostCreate[T]) settle(ctx context.Context) walk.Outcome[T] {
	if l.guard != nil {
		return l.guard.Lost(ctx)
	}
	sctx, cancel := walk.SettleContext(ctx)
	defer cancel()
	listed, err := l.reader.Fresh(sctx)
	if err != nil {
		return walk.Outcome[T]{Err: err}
	}
	var ids []string
	var match *T
	for _, o := range listed {
		if l.same(o) {
			ids, match = append(ids, l.id(o)), o
		}
	}
	switch {
	case len(ids) == 0:
		return walk.Outcome[T]{Retry: true}
	case len(ids) == 1 && l.adopt:
		return walk.Outcome[T]{Adopted: match}
	}
	return walk.Outcome[T]{Candidates: ids, Unsure: len(ids) == 1}
}

// adoptedDiagnostic: a create's answer was lost, and the listing made right
// after showed the one object it made, which the provider adopted.
func adoptedDiagnostic(noun, id, candidates string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic(fmt.Sprintf("Kakiyo %s adopted after a lost answer", noun), fmt.Sprintf(
		"The answer to creating this %s was lost:\n\n%s\n\n"+
			"A listing made right after shows %s %q: %s. It is the %s this create made, so the provider adopted it "+
			"and went on as if the answer had arrived. Nothing was created twice. (If another run or person using "+
			"this API key created exactly one such %s during this run while Kakiyo made none for this create, the "+
			"adopted one is theirs; the provider's adopt_lost_creates = false rules that out.)",
		noun, describe(err), withArticle(noun), id, candidates, noun, noun))
}

// notCreatedDiagnostic: the answers of a create and of its retries were
// lost, and each time a listing showed that Kakiyo made nothing.
func notCreatedDiagnostic(noun string, attempts int, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Kakiyo "+noun+" not created", fmt.Sprintf(
		"The answers to creating this %s were lost %d times; the last one:\n\n%s\n\n"+
			"Each time, a listing showed that Kakiyo created no %s, so nothing was created and nothing is saved in "+
			"the state. Check the connection to Kakiyo, then apply again.", noun, attempts, describe(err), noun))
}

// candidatesDiagnostic: a create's answer was lost, and the listing made
// after it showed objects that may be it, none of which was adopted: more
// of them than lost answers (someone else made some), or (unsure) as many,
// but adoption is not allowed.
func candidatesDiagnostic(noun, resourceType, candidates string, ids []string, unsure bool, err error) diag.Diagnostic {
	var b strings.Builder
	fmt.Fprintf(&b, "The answer to creating this %s was lost:\n\n%s\n\n", noun, describe(err))
	if unsure {
		fmt.Fprintf(&b, "A listing made right after shows %d %s(s) %s. One may be the %s this run created, or "+
			"another run (or person) using this API key may have created it meanwhile: they cannot be told apart. "+
			"With adopt_lost_creates = false, the provider adopts none, so that two runs never manage one %s, and "+
			"saved nothing in the state. The candidates:\n\n", len(ids), noun, candidates, noun, noun)
	} else {
		fmt.Fprintf(&b, "A listing made right after shows %d new %ss %s, more than this run's lost answers: "+
			"someone else created %ss in this team meanwhile. The provider adopts %s only when it cannot be someone "+
			"else's, so it adopted none and saved nothing in the state. The candidates:\n\n",
			len(ids), noun, candidates, noun, withArticle(noun))
	}
	for _, id := range ids {
		fmt.Fprintf(&b, "  %s\n", id)
	}
	fmt.Fprintf(&b, "\nOne of them may be the %s this run created. Check them in the Kakiyo dashboard, and adopt "+
		"yours with its import block (the resource of this create as <name>), then apply; the others are not "+
		"yours to manage:\n", noun)
	for _, id := range ids {
		fmt.Fprintf(&b, "\n  import {\n    to = %s.<name>\n    id = %q\n  }\n", resourceType, id)
	}
	summary := "Kakiyo may have created " + withArticle(noun) + ": several candidates"
	if unsure {
		summary = "Kakiyo may have created " + withArticle(noun) + ": not adopted"
	}
	return diag.NewErrorDiagnostic(summary, b.String())
}

// unsettledDiagnostic: a create's answer was lost, and the listing that
// would have told what Kakiyo made could not be made (why).
func unsettledDiagnostic(noun, candidates string, err, why error) diag.Diagnostic {
	listing := ""
	if why != nil {
		listing = fmt.Sprintf("Listing the team's %ss, to find the %s this run may have created, failed too: %v. ",
			noun, noun, why)
	}
	return mayHaveCreatedDiagnostic(noun, err, fmt.Sprintf("%sLook for %s %s in the Kakiyo dashboard (or with a "+
		"data source) before you apply again: an apply creates another one. If there is one, adopt it: terraform "+
		"import '<address>' <id> (or an import block), then apply. If there is none, apply again.",
		listing, withArticle(noun), candidates))
}
