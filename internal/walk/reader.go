// Package walk is the run's concurrency core: within one Terraform run (a
// plan, an apply, an import, a refresh: one configured provider), Reader
// serves every read of one kind of object from one listing, and
// CreateGuard settles the creates whose answers were lost. It knows neither
// the framework nor any Kakiyo object (depguard enforces it): the provider
// package gives it the calls of each object.
package walk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// How the reads of one kind of object are served within one run.
const (
	// ModeAuto reads by id until more than ReadsByIDFirst reads have come,
	// then serves every read from one listing.
	ModeAuto = "auto"
	// ModeList serves every read from one listing.
	ModeList = "list"
	// ModeByID reads every object by id.
	ModeByID = "by_id"
)

// ReadsByIDFirst is how many reads of a run the auto mode serves by id
// before the listing serves the rest: one managed object costs one call,
// however large the team, and many cost the listing (plus these).
const ReadsByIDFirst = 2

// The first reads of a run wait, before they are read by id, for the
// reads that Terraform starts with them (up to -parallelism at once): when a
// third one comes, the listing serves them all at once; when none has come
// for gatherQuiet (or gatherMax has passed), they are read by id. One
// managed object costs one read by id, a few milliseconds later; many cost
// the listing only.
const (
	gatherQuiet = 75 * time.Millisecond
	gatherMax   = 500 * time.Millisecond
)

// Reader serves the reads of one kind of object within one run. Reads
// that arrive together share one listing (every page of it): the first
// read that needs it makes it, the others wait for the page that holds
// their object. It knows no Kakiyo object: the object's file gives it the
// calls.
//
// What keeps it safe:
//   - an object missing from the listing, or a listing that failed, is read
//     by id before anyone concludes it is gone;
//   - an item that lacks part of the object (whole returns false) is read
//     by id, so that the state is the same whichever path served it;
//   - an object this run wrote is always read by id, and the listing of
//     all objects is made again after a write;
//   - a run's reader is made by Configure: no later run sees its listing.
type Reader[T any] struct {
	mode  string
	quiet time.Duration
	max   time.Duration
	noun  string // plural, for logs
	list  func(ctx context.Context, page func([]T) error) error
	get   func(ctx context.Context, id string) (*T, error)
	id    func(*T) string
	whole func(*T) bool

	mu          sync.Mutex
	arrived     int
	lastArrival time.Time
	gathering   chan struct{} // closed when the first reads' wait ends
	run         *listRun[T]
	written     map[string]bool
	writes      int
	got         map[string]*T // reads by id of this walk, until the object is written
}

// listRun is one listing of a run, filled page by page.
type listRun[T any] struct {
	items  map[string]*T
	order  []*T
	more   chan struct{} // closed (and replaced) when a page arrives, and when done
	done   bool
	err    error
	writes int // the reader's writes when the listing began
	// confirms is set on a listing made to confirm that an object one
	// listing did not show is gone (see listed).
	confirms bool
}

func NewReader[T any](mode, noun string, list func(context.Context, func([]T) error) error,
	get func(context.Context, string) (*T, error), id func(*T) string, whole func(*T) bool) *Reader[T] {
	if mode == "" {
		mode = ModeAuto
	}
	return &Reader[T]{mode: mode, quiet: gatherQuiet, max: gatherMax, noun: noun, list: list, get: get, id: id, whole: whole,
		written: map[string]bool{}, got: map[string]*T{}}
}

// SetGather changes how long the first reads of a run wait for others
// (see gatherQuiet), for tests that must not wait.
func (r *Reader[T]) SetGather(quiet, maxWait time.Duration) { r.quiet, r.max = quiet, maxWait }

// read returns the object id as Kakiyo has it now, or the error of reading
// it by id (a not-found error when it is gone). The object must not be
// changed: it may be shared with other reads.
func (r *Reader[T]) Read(ctx context.Context, id string) (*T, error) {
	if r.get == nil {
		return r.listed(ctx, id)
	}
	r.mu.Lock()
	r.arrived++
	if got, ok := r.got[id]; ok && !r.written[id] {
		// Read by id earlier in this run (e.g. by a resource that refers
		// to it): the answer is still current.
		r.mu.Unlock()
		return got, nil
	}
	if r.written[id] || r.mode == ModeByID {
		r.mu.Unlock()
		return r.getByID(ctx, id)
	}
	if r.mode == ModeAuto && r.run == nil && r.arrived <= ReadsByIDFirst {
		r.lastArrival = time.Now()
		gathering := r.gathering
		if gathering == nil {
			gathering = make(chan struct{})
			r.gathering = gathering
			go r.gather(gathering)
		}
		r.mu.Unlock()
		select {
		case <-gathering:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		r.mu.Lock()
		if r.run == nil {
			r.mu.Unlock()
			return r.getByID(ctx, id)
		}
	}
	r.mu.Unlock()
	// Any listing of the run serves: fromRun reads by id what it wrote.
	return r.fromRun(ctx, r.join(ctx, func(*listRun[T]) bool { return true }), id)
}

// ReadThisRun returns the object id as this run has read it already (by
// id, or whole from a listing), with no call; false when this run has not
// read it, or has written it since.
func (r *Reader[T]) ReadThisRun(id string) (*T, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.written[id] {
		return nil, false
	}
	if got, ok := r.got[id]; ok {
		return got, true
	}
	if r.run != nil {
		if item, ok := r.run.items[id]; ok && r.whole(item) {
			return item, true
		}
	}
	return nil, false
}

// join returns the listing a read uses: the run's current one when current
// says it may serve, or a new one, which the caller makes (every page of
// it) before join returns.
func (r *Reader[T]) join(ctx context.Context, current func(*listRun[T]) bool) *listRun[T] {
	return r.joinOrStart(ctx, current, false)
}

// joinOrStart is join; a listing it starts confirms absences when confirms
// is set (see listed).
func (r *Reader[T]) joinOrStart(ctx context.Context, current func(*listRun[T]) bool, confirms bool) *listRun[T] {
	r.mu.Lock()
	run := r.run
	mine := run == nil || !current(run)
	if mine {
		run = r.startLocked()
		run.confirms = confirms
	}
	r.mu.Unlock()
	if mine {
		r.listInto(ctx, run)
	}
	return run
}

// sinceLastWrite says whether run began after the run's last write: only
// then may it serve a read of every object, or of one that can only be
// listed.
func (r *Reader[T]) sinceLastWrite(run *listRun[T]) bool { return run.writes == r.writes }

// await waits for run's pages until ready (called with the lock held) says
// the wait is over, or ctx ends.
func (r *Reader[T]) await(ctx context.Context, run *listRun[T], ready func() bool) error {
	for {
		r.mu.Lock()
		ok, more := ready(), run.more
		r.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-more:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// listed serves a read of an object that Kakiyo can only list (no read by
// id): from the run's listing, or a new one when this run wrote since it
// began. An object missing from a complete listing is gone
// (*NotListedError); a failed listing is the read's error.
func (r *Reader[T]) listed(ctx context.Context, id string) (*T, error) {
	r.mu.Lock()
	r.arrived++
	r.mu.Unlock()
	run := r.join(ctx, r.sinceLastWrite)
	for {
		var item *T
		var found bool
		if err := r.await(ctx, run, func() bool {
			item, found = run.items[id]
			return found || run.done
		}); err != nil {
			return nil, err
		}
		switch {
		case found:
			return item, nil
		case run.err != nil:
			return nil, run.err
		case run.confirms:
			return nil, &NotListedError{Noun: r.noun, ID: id}
		}
		// Absent from a complete listing: gone, if a second listing, made
		// after this one ended, says so too (one call per run, shared by
		// every object missing then; a listing that came back empty or short
		// once, from a proxy or a glitch, does not make objects gone).
		tflog.Debug(ctx, "Not in the listing; listing once more to confirm that it is gone", map[string]any{"id": id})
		run = r.joinOrStart(ctx, func(cur *listRun[T]) bool { return r.sinceLastWrite(cur) && cur.confirms }, true)
	}
}

// NotListedError says that a complete listing does not show the object:
// for an object that Kakiyo can only list, it is gone.
type NotListedError struct{ Noun, ID string }

func (e *NotListedError) Error() string {
	return fmt.Sprintf("%q is not among the Kakiyo %s", e.ID, e.Noun)
}

// NotListed reports whether err says that a complete listing does not
// show the object: for an object that Kakiyo can only list, it is gone.
func NotListed(err error) bool {
	var nl *NotListedError
	return errors.As(err, &nl)
}

// getByID reads id by id, and remembers the answer for the run's later
// reads of it (until the run writes it).
func (r *Reader[T]) getByID(ctx context.Context, id string) (*T, error) {
	item, err := r.get(ctx, id)
	if err == nil {
		r.mu.Lock()
		if !r.written[id] {
			r.got[id] = item
		}
		r.mu.Unlock()
	}
	return item, err
}

// all returns every object, from a listing that began after this run's
// last write: the current one, or a new one.
func (r *Reader[T]) All(ctx context.Context) ([]*T, error) {
	run := r.join(ctx, r.sinceLastWrite)
	if err := r.await(ctx, run, func() bool { return run.done }); err != nil {
		return nil, err
	}
	return run.order, run.err
}

// fresh returns every object from a new listing, which later reads share.
func (r *Reader[T]) Fresh(ctx context.Context) ([]*T, error) {
	r.mu.Lock()
	run := r.startLocked()
	r.mu.Unlock()
	r.listInto(ctx, run)
	return run.order, run.err
}

// wrote records that this run changes the object id (empty: creates one),
// before the change is sent: reads of it no longer use a listing, and the
// next listing of all objects is a new one.
func (r *Reader[T]) Wrote(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes++
	if id != "" {
		r.written[id] = true
		delete(r.got, id)
	}
}

func (r *Reader[T]) startLocked() *listRun[T] {
	run := &listRun[T]{items: map[string]*T{}, more: make(chan struct{}), writes: r.writes}
	r.run = run
	r.endGatherLocked() // the reads that wait join the listing
	return run
}

// gather ends the first reads' wait (see gatherQuiet): when no read has come
// for r.quiet, after r.max at most, or as soon as a listing began.
func (r *Reader[T]) gather(gathering chan struct{}) {
	start := time.Now()
	for {
		time.Sleep(r.quiet)
		r.mu.Lock()
		if r.gathering != gathering {
			r.mu.Unlock()
			return // ended by a listing
		}
		if time.Since(r.lastArrival) >= r.quiet || time.Since(start) >= r.max {
			r.endGatherLocked()
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
	}
}

func (r *Reader[T]) endGatherLocked() {
	if r.gathering != nil {
		close(r.gathering)
		r.gathering = nil
	}
}

// listInto makes the listing of run, publishing each page as it arrives.
func (r *Reader[T]) listInto(ctx context.Context, run *listRun[T]) {
	tflog.Debug(ctx, "Listing Kakiyo "+r.noun+" once for the reads of this run", map[string]any{"reads_so_far": r.reads()})
	err := r.list(ctx, func(page []T) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		for i := range page {
			it := &page[i]
			run.items[r.id(it)] = it
			run.order = append(run.order, it)
		}
		close(run.more)
		run.more = make(chan struct{})
		return nil
	})
	if err != nil && r.get != nil {
		tflog.Warn(ctx, "Listing Kakiyo "+r.noun+" failed; each is read by id instead",
			map[string]any{"error": err.Error()})
	}
	r.mu.Lock()
	run.done, run.err = true, err
	close(run.more)
	r.mu.Unlock()
}

// fromRun waits for the page of run that holds id, or the end of run.
func (r *Reader[T]) fromRun(ctx context.Context, run *listRun[T], id string) (*T, error) {
	var item *T
	var found, written bool
	if err := r.await(ctx, run, func() bool {
		item, found = run.items[id]
		written = r.written[id]
		return written || found || run.done
	}); err != nil {
		return nil, err
	}
	switch {
	case written:
		return r.getByID(ctx, id)
	case found && r.whole(item):
		return item, nil
	case found:
		tflog.Debug(ctx, "The listing shows only part of this object; reading it by id", map[string]any{"id": id})
		return r.getByID(ctx, id)
	}
	// Not in the listing, or the listing failed: only a read by id may
	// conclude that the object is gone.
	tflog.Debug(ctx, "Not in the listing; confirming by id", map[string]any{"id": id})
	return r.getByID(ctx, id)
}

func (r *Reader[T]) reads() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.arrived
}
