package walk

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// CreateGuard finds, within one run, the objects that this run's own
// creates made when their answers were lost. Kakiyo's creates take no
// idempotency key: a create whose answer is lost (the connection dropped
// after Kakiyo handled it, a 502, a timeout) may or may not have made the
// object, and retrying blindly could make a second, paid one.
//
// How it knows which object is whose:
//   - before the run's first create is sent, the team's objects are listed
//     once (the baseline); creates wait for that listing;
//   - every create that gets its answer claims its object;
//   - after a lost answer, once no other create of the run is in flight
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
//   - the settlement runs on a context of its own (SettleContext): a run
//     that Terraform interrupts (Ctrl-C) still finds out what Kakiyo made.
//
// Cost: one listing per run that creates, and one per group of lost
// answers. A walk without creates pays nothing. It knows no Kakiyo object:
// the object's file gives it the calls.
type CreateGuard[T any] struct {
	noun string
	// adopt allows adopting candidates (see CreateGuard).
	adopt bool
	// list returns the team's objects: from a listing that began after the
	// run's last write, or (fresh) from a new one.
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
	pending     []*pendingLoss[T]
}

// pendingLoss is a create whose answer was lost, waiting for the outcome.
type pendingLoss[T any] struct {
	done    chan struct{}
	outcome Outcome[T]
}

// Outcome is what became of a create whose answer was lost: adopted
// (the object it made), retry (Kakiyo made nothing: it may be sent again),
// or neither, with the candidates that made adoption unsafe, or the
// reason it could not be told (err).
type Outcome[T any] struct {
	Adopted    *T
	Retry      bool
	Candidates []string
	// Unsure is set with Candidates when they were not too many, but
	// adoption is not allowed.
	Unsure bool
	Err    error
}

// CreateAttempts bounds how many times one object's create is sent when
// its answers are lost and each time a listing shows that Kakiyo made
// nothing (so that sending it again is safe).
const CreateAttempts = 3

// SettleTimeout bounds what settling a lost create answer may take: the
// listing (every page, rate-limit waits included) that tells what Kakiyo
// made.
const SettleTimeout = 2 * time.Minute

// SettleContext is the context that settles a lost create answer: ctx's
// values, not its cancellation, within SettleTimeout. When Terraform stops
// the provider (Ctrl-C), the creates in flight are cut off and their
// answers lost, but Kakiyo may have made their objects: finding them must
// not be cut off too, or they would be paid for and forgotten.
func SettleContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), SettleTimeout)
}

func NewCreateGuard[T any](noun string, adopt bool, list func(context.Context, bool) ([]*T, error), id func(*T) string,
	fresh func(*T) bool) *CreateGuard[T] {
	return &CreateGuard[T]{noun: noun, adopt: adopt, list: list, id: id, fresh: fresh, changed: make(chan struct{}),
		claimed: map[string]bool{}}
}

// changedLocked wakes everyone waiting for a change.
func (g *CreateGuard[T]) changedLocked() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// wait releases the lock until the next change or the end of ctx.
func (g *CreateGuard[T]) wait(ctx context.Context) error {
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
func (g *CreateGuard[T]) Begin(ctx context.Context) error {
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
func (g *CreateGuard[T]) Created(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	g.claimed[id] = true
	g.changedLocked()
}

// failed records a create that surely made nothing.
func (g *CreateGuard[T]) Failed() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	g.changedLocked()
}

// lost records a create whose answer was lost and returns what became of
// it (see CreateGuard). It settles on its own context (SettleContext), even
// when ctx is done.
func (g *CreateGuard[T]) Lost(ctx context.Context) Outcome[T] {
	ctx, cancel := SettleContext(ctx)
	defer cancel()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	if g.baseline == nil {
		return Outcome[T]{Err: g.baselineErr}
	}
	me := &pendingLoss[T]{done: make(chan struct{})}
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
			return Outcome[T]{Err: err}
		}
	}
}

// resolveLocked waits until no create is in flight, lists, and decides for
// every pending lost create.
func (g *CreateGuard[T]) resolveLocked(ctx context.Context) {
	defer func() {
		g.resolving = false
		g.changedLocked()
	}()
	for g.inflight > 0 {
		if err := g.wait(ctx); err != nil {
			g.settleLocked(func(int) Outcome[T] { return Outcome[T]{Err: err} })
			return
		}
	}
	g.mu.Unlock()
	objects, err := g.list(ctx, true)
	g.mu.Lock()
	if err != nil {
		g.settleLocked(func(int) Outcome[T] { return Outcome[T]{Err: err} })
		return
	}
	if len(g.baseline) > 0 && !g.showsAnyLocked(objects) {
		// A listing that shows none of the objects the run listed before
		// (a proxy's 200 [], a wrong base URL's empty list) cannot tell
		// that Kakiyo made nothing: sending the create again on its word
		// could buy the object twice.
		err := fmt.Errorf("the listing made to settle it shows none of the %d %s that the run's first listing "+
			"showed, so it cannot tell whether Kakiyo made one", len(g.baseline), g.noun)
		g.settleLocked(func(int) Outcome[T] { return Outcome[T]{Err: err} })
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
		g.settleLocked(func(int) Outcome[T] { return Outcome[T]{Candidates: ids, Unsure: unsure} })
		return
	}
	g.settleLocked(func(i int) Outcome[T] {
		if i < len(candidates) {
			g.claimed[g.id(candidates[i])] = true
			return Outcome[T]{Adopted: candidates[i]}
		}
		return Outcome[T]{Retry: true}
	})
}

func (g *CreateGuard[T]) settleLocked(outcome func(i int) Outcome[T]) {
	for i, p := range g.pending {
		p.outcome = outcome(i)
		close(p.done)
	}
	g.pending = nil
}

// showsAnyLocked reports whether objects holds any object of the baseline.
func (g *CreateGuard[T]) showsAnyLocked(objects []*T) bool {
	for _, o := range objects {
		if g.baseline[g.id(o)] {
			return true
		}
	}
	return false
}

func (g *CreateGuard[T]) idsOf(objects []*T) map[string]bool {
	ids := make(map[string]bool, len(objects))
	for _, o := range objects {
		ids[g.id(o)] = true
	}
	return ids
}
