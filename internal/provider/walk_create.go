package provider

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// createGuard finds, within one walk, the objects that this walk's own
// creates made when their answers were lost. Kakiyo's creates take no
// idempotency key: a create whose answer is lost (the connection dropped
// after Kakiyo handled it, a 502, a timeout) may or may not have made the
// object, and retrying blindly could make a second, paid one.
//
// How it knows which object is whose:
//   - before the walk's first create is sent, the team's objects are listed
//     once (the baseline); creates wait for that listing;
//   - every create that gets its answer claims its object;
//   - after a lost answer, once no other create of the walk is in flight
//     (new creates wait meanwhile), the objects are listed again. The fresh
//     objects (as a new object looks: for agents, setup_needed) that are in
//     neither the baseline nor the claims are the candidates;
//   - with no candidate, Kakiyo made nothing: the creates may be sent again;
//   - with no more candidates than creates whose answers were lost, and
//     adoption allowed (the provider's adopt_lost_creates), each such create
//     adopts one (fresh objects are alike: any match is right), and those
//     left over know that Kakiyo made nothing for them, so they may send
//     their create again. With more candidates than lost answers (someone
//     else created objects meanwhile), or adoption not allowed (another run
//     on the same key may have made them: fresh objects cannot be told
//     apart), none is adopted: the creates fail and name the candidates;
//   - the settlement runs on a context of its own (settleContext): a run
//     that Terraform interrupts (Ctrl-C) still finds out what Kakiyo made.
//
// Cost: one listing per walk that creates, and one per group of lost
// answers. A walk without creates pays nothing. It knows no Kakiyo object:
// the object's file gives it the calls.
type createGuard[T any] struct {
	noun string
	// adopt allows adopting candidates (see createGuard).
	adopt bool
	// list returns the team's objects: from a listing that began after the
	// walk's last write, or (fresh) from a new one.
	list  func(ctx context.Context, fresh bool) ([]*T, error)
	id    func(*T) string
	fresh func(*T) bool

	mu          sync.Mutex
	changed     chan struct{} // closed (and replaced) whenever the state below changes
	baseline    map[string]bool
	baselineErr error
	listing     bool
	inflight    int
	claimed     map[string]bool
	resolving   bool
	pending     []*lostCreate[T]
}

// lostCreate is a create whose answer was lost, waiting for the outcome.
type lostCreate[T any] struct {
	done    chan struct{}
	outcome lostOutcome[T]
}

// lostOutcome is what became of a create whose answer was lost: adopted
// (the object it made), retry (Kakiyo made nothing: it may be sent again),
// or neither, with the candidates that made adoption unsafe, or the
// reason it could not be told (err).
type lostOutcome[T any] struct {
	adopted    *T
	retry      bool
	candidates []string
	// unsure is set with candidates when they were not too many, but
	// adoption is not allowed.
	unsure bool
	err    error
}

// createAttempts bounds how many times one object's create is sent when
// its answers are lost and each time a listing shows that Kakiyo made
// nothing (so that sending it again is safe).
const createAttempts = 3

// settleTimeout bounds what settling a lost create answer may take: the
// listing (every page, rate-limit waits included) that tells what Kakiyo
// made.
const settleTimeout = 2 * time.Minute

// settleContext is the context that settles a lost create answer: ctx's
// values, not its cancellation, within settleTimeout. When Terraform stops
// the provider (Ctrl-C), the creates in flight are cut off and their
// answers lost, but Kakiyo may have made their objects: finding them must
// not be cut off too, or they would be paid for and forgotten.
func settleContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
}

func newCreateGuard[T any](noun string, adopt bool, list func(context.Context, bool) ([]*T, error), id func(*T) string,
	fresh func(*T) bool) *createGuard[T] {
	return &createGuard[T]{noun: noun, adopt: adopt, list: list, id: id, fresh: fresh, changed: make(chan struct{}),
		claimed: map[string]bool{}}
}

// changedLocked wakes everyone waiting for a change.
func (g *createGuard[T]) changedLocked() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// wait releases the lock until the next change or the end of ctx.
func (g *createGuard[T]) wait(ctx context.Context) error {
	ch := g.changed
	g.mu.Unlock()
	defer g.mu.Lock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// begin is called before a create is sent: it makes (or waits for) the
// baseline listing, waits while lost answers are being resolved, and
// counts the create as in flight. Each begin is followed by one of
// created, failed or lost.
func (g *createGuard[T]) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err // the run was stopped: no new create is sent
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.baseline == nil && g.baselineErr == nil {
		if !g.listing {
			g.listing = true
			g.mu.Unlock()
			objects, err := g.list(ctx, false)
			g.mu.Lock()
			g.listing = false
			if err != nil {
				if ctx.Err() != nil {
					g.changedLocked()
					return ctx.Err()
				}
				// Creates go on; a lost answer then cannot be resolved.
				tflog.Warn(ctx, "Listing Kakiyo "+g.noun+" before creating failed; a lost create answer "+
					"will not be resolved", map[string]any{"error": err.Error()})
				g.baselineErr = err
			} else {
				g.baseline = g.idsOf(objects)
			}
			g.changedLocked()
			continue
		}
		if err := g.wait(ctx); err != nil {
			return err
		}
	}
	for g.resolving {
		if err := g.wait(ctx); err != nil {
			return err
		}
	}
	g.inflight++
	return nil
}

// created records the object a create's answer named.
func (g *createGuard[T]) created(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	g.claimed[id] = true
	g.changedLocked()
}

// failed records a create that surely made nothing.
func (g *createGuard[T]) failed() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	g.changedLocked()
}

// lost records a create whose answer was lost and returns what became of
// it (see createGuard). It settles on its own context (settleContext), even
// when ctx is done.
func (g *createGuard[T]) lost(ctx context.Context) lostOutcome[T] {
	ctx, cancel := settleContext(ctx)
	defer cancel()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	if g.baseline == nil {
		return lostOutcome[T]{err: g.baselineErr}
	}
	me := &lostCreate[T]{done: make(chan struct{})}
	g.pending = append(g.pending, me)
	g.changedLocked()
	if !g.resolving {
		g.resolving = true
		g.resolveLocked(ctx)
	}
	for {
		select {
		case <-me.done:
			return me.outcome
		default:
		}
		if err := g.wait(ctx); err != nil {
			return lostOutcome[T]{err: err}
		}
	}
}

// resolveLocked waits until no create is in flight, lists, and decides for
// every pending lost create.
func (g *createGuard[T]) resolveLocked(ctx context.Context) {
	defer func() {
		g.resolving = false
		g.changedLocked()
	}()
	for g.inflight > 0 {
		if err := g.wait(ctx); err != nil {
			g.settleLocked(func(int) lostOutcome[T] { return lostOutcome[T]{err: err} })
			return
		}
	}
	g.mu.Unlock()
	objects, err := g.list(ctx, true)
	g.mu.Lock()
	if err != nil {
		g.settleLocked(func(int) lostOutcome[T] { return lostOutcome[T]{err: err} })
		return
	}
	var candidates []*T
	for _, o := range objects {
		if id := g.id(o); !g.baseline[id] && !g.claimed[id] && g.fresh(o) {
			candidates = append(candidates, o)
		}
	}
	slices.SortFunc(candidates, func(a, b *T) int {
		switch ida, idb := g.id(a), g.id(b); {
		case ida < idb:
			return -1
		case ida > idb:
			return 1
		}
		return 0
	})
	// Whatever is decided, what is listed now is known from here on: an
	// object not adopted now is never adopted later.
	for id := range g.idsOf(objects) {
		g.baseline[id] = true
	}
	n := len(g.pending)
	tflog.Info(ctx, "Resolved lost create answers from a new listing", map[string]any{
		"kind": g.noun, "lost_answers": n, "candidates": len(candidates)})
	if len(candidates) > n || (len(candidates) > 0 && !g.adopt) {
		ids := make([]string, len(candidates))
		for i, c := range candidates {
			ids[i] = g.id(c)
		}
		unsure := len(candidates) <= n
		g.settleLocked(func(int) lostOutcome[T] { return lostOutcome[T]{candidates: ids, unsure: unsure} })
		return
	}
	g.settleLocked(func(i int) lostOutcome[T] {
		if i < len(candidates) {
			g.claimed[g.id(candidates[i])] = true
			return lostOutcome[T]{adopted: candidates[i]}
		}
		return lostOutcome[T]{retry: true}
	})
}

func (g *createGuard[T]) settleLocked(outcome func(i int) lostOutcome[T]) {
	for i, p := range g.pending {
		p.outcome = outcome(i)
		close(p.done)
	}
	g.pending = nil
}

func (g *createGuard[T]) idsOf(objects []*T) map[string]bool {
	ids := make(map[string]bool, len(objects))
	for _, o := range objects {
		ids[g.id(o)] = true
	}
	return ids
}
