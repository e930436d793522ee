package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// How the reads of one kind of object are served within one Terraform walk
// (one configured provider: a plan, an apply, an import, a refresh).
const (
	// refreshAuto reads by id until more than readsByIDFirst reads have come,
	// then serves every read from one listing.
	refreshAuto = "auto"
	// refreshList serves every read from one listing.
	refreshList = "list"
	// refreshByID reads every object by id.
	refreshByID = "by_id"
)

// readsByIDFirst is how many reads of a walk the auto mode serves by id
// before the listing serves the rest: one managed object costs one call,
// however large the team, and many cost the listing (plus these).
const readsByIDFirst = 2

// The first reads of a walk wait, before they are read by id, for the
// reads that Terraform starts with them (up to -parallelism at once): when a
// third one comes, the listing serves them all at once; when none has come
// for gatherQuiet (or gatherMax has passed), they are read by id. One
// managed object costs one read by id, a few milliseconds later; many cost
// the listing only.
const (
	gatherQuiet = 75 * time.Millisecond
	gatherMax   = 500 * time.Millisecond
)

// walkReader serves the reads of one kind of object within one walk. Reads
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
//   - an object this walk wrote is always read by id, and the listing of
//     all objects is made again after a write;
//   - a walk's reader is made by Configure: no later walk sees its listing.
type walkReader[T any] struct {
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

// listRun is one listing of a walk, filled page by page.
type listRun[T any] struct {
	items  map[string]*T
	order  []*T
	more   chan struct{} // closed (and replaced) when a page arrives, and when done
	done   bool
	err    error
	writes int // the reader's writes when the listing began
}

func newWalkReader[T any](mode, noun string, list func(context.Context, func([]T) error) error,
	get func(context.Context, string) (*T, error), id func(*T) string, whole func(*T) bool) *walkReader[T] {
	if mode == "" {
		mode = refreshAuto
	}
	return &walkReader[T]{mode: mode, quiet: gatherQuiet, max: gatherMax, noun: noun, list: list, get: get, id: id, whole: whole,
		written: map[string]bool{}, got: map[string]*T{}}
}

// read returns the object id as Kakiyo has it now, or the error of reading
// it by id (a not-found error when it is gone). The object must not be
// changed: it may be shared with other reads.
func (r *walkReader[T]) read(ctx context.Context, id string) (*T, error) {
	if r.get == nil {
		return r.listed(ctx, id)
	}
	r.mu.Lock()
	r.arrived++
	if got, ok := r.got[id]; ok && !r.written[id] {
		// Read by id earlier in this walk (e.g. by a resource that refers
		// to it): the answer is still current.
		r.mu.Unlock()
		return got, nil
	}
	if r.written[id] || r.mode == refreshByID {
		r.mu.Unlock()
		return r.getByID(ctx, id)
	}
	if r.mode == refreshAuto && r.run == nil && r.arrived <= readsByIDFirst {
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
	run, mine := r.run, false
	if run == nil {
		run, mine = r.startLocked(), true
	}
	r.mu.Unlock()
	if mine {
		r.fill(ctx, run)
	}
	return r.fromRun(ctx, run, id)
}

// readThisRun returns the object id as this walk has read it already (by
// id, or whole from a listing), with no call; false when this walk has not
// read it, or has written it since.
func (r *walkReader[T]) readThisRun(id string) (*T, bool) {
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

// listed serves a read of an object that Kakiyo can only list (no read by
// id): from the walk's listing, or a new one when this walk wrote since it
// began. An object missing from a complete listing is gone
// (*notListedError); a failed listing is the read's error.
func (r *walkReader[T]) listed(ctx context.Context, id string) (*T, error) {
	r.mu.Lock()
	r.arrived++
	run, mine := r.run, false
	if run == nil || run.writes != r.writes {
		run, mine = r.startLocked(), true
	}
	r.mu.Unlock()
	if mine {
		r.fill(ctx, run)
	}
	for {
		r.mu.Lock()
		item, found := run.items[id]
		done, err, more := run.done, run.err, run.more
		r.mu.Unlock()
		switch {
		case found:
			return item, nil
		case done && err != nil:
			return nil, err
		case done:
			return nil, &notListedError{noun: r.noun, id: id}
		}
		select {
		case <-more:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// notListedError says that a complete listing does not show the object:
// for an object that Kakiyo can only list, it is gone.
type notListedError struct{ noun, id string }

func (e *notListedError) Error() string {
	return fmt.Sprintf("%q is not among the Kakiyo %s", e.id, e.noun)
}

// isGone reports whether err, from a read, says that the object no longer
// exists: Kakiyo's not_found, or absence from a complete listing.
func isGone(err error) bool {
	var nl *notListedError
	return kakiyo.IsNotFound(err) || errors.As(err, &nl)
}

// getByID reads id by id, and remembers the answer for the walk's later
// reads of it (until the walk writes it).
func (r *walkReader[T]) getByID(ctx context.Context, id string) (*T, error) {
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

// all returns every object, from a listing that began after this walk's
// last write: the current one, or a new one.
func (r *walkReader[T]) all(ctx context.Context) ([]*T, error) {
	r.mu.Lock()
	run, mine := r.run, false
	if run == nil || run.writes != r.writes {
		run, mine = r.startLocked(), true
	}
	r.mu.Unlock()
	if mine {
		r.fill(ctx, run)
	}
	for {
		r.mu.Lock()
		done, err, more, order := run.done, run.err, run.more, run.order
		r.mu.Unlock()
		if done {
			return order, err
		}
		select {
		case <-more:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// fresh returns every object from a new listing, which later reads share.
func (r *walkReader[T]) fresh(ctx context.Context) ([]*T, error) {
	r.mu.Lock()
	run := r.startLocked()
	r.mu.Unlock()
	r.fill(ctx, run)
	return run.order, run.err
}

// wrote records that this walk changes the object id (empty: creates one),
// before the change is sent: reads of it no longer use a listing, and the
// next listing of all objects is a new one.
func (r *walkReader[T]) wrote(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes++
	if id != "" {
		r.written[id] = true
		delete(r.got, id)
	}
}

func (r *walkReader[T]) startLocked() *listRun[T] {
	run := &listRun[T]{items: map[string]*T{}, more: make(chan struct{}), writes: r.writes}
	r.run = run
	r.endGatherLocked() // the reads that wait join the listing
	return run
}

// gather ends the first reads' wait (see gatherQuiet): when no read has come
// for r.quiet, after r.max at most, or as soon as a listing began.
func (r *walkReader[T]) gather(gathering chan struct{}) {
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

func (r *walkReader[T]) endGatherLocked() {
	if r.gathering != nil {
		close(r.gathering)
		r.gathering = nil
	}
}

// fill makes the listing of run, publishing each page as it arrives.
func (r *walkReader[T]) fill(ctx context.Context, run *listRun[T]) {
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
func (r *walkReader[T]) fromRun(ctx context.Context, run *listRun[T], id string) (*T, error) {
	for {
		r.mu.Lock()
		item, found := run.items[id]
		done, more, written := run.done, run.more, r.written[id]
		r.mu.Unlock()
		switch {
		case written:
			return r.getByID(ctx, id)
		case found && r.whole(item):
			return item, nil
		case found:
			tflog.Debug(ctx, "The listing shows only part of this object; reading it by id", map[string]any{"id": id})
			return r.getByID(ctx, id)
		case done:
			// Not in the listing, or the listing failed: only a read by id
			// may conclude that the object is gone.
			tflog.Debug(ctx, "Not in the listing; confirming by id", map[string]any{"id": id})
			return r.getByID(ctx, id)
		}
		select {
		case <-more:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (r *walkReader[T]) reads() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.arrived
}
