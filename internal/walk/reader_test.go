package walk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// item is what the fake API of these tests lists and reads.
type item struct {
	id      string
	partial bool
	version int
}

var errGone = errors.New("not found")

// fakeAPI counts the calls a Reader makes: listings (one per listing,
// however many pages), pages, and reads by id.
type fakeAPI struct {
	mu       sync.Mutex
	items    map[string]int // id -> version
	partial  map[string]bool
	hidden   map[string]bool
	pageSize int
	failList bool
	pageGate chan struct{} // when set, pages after the first wait for it

	lists, pages, gets atomic.Int32
}

func newFakeAPI(n int) *fakeAPI {
	f := &fakeAPI{items: map[string]int{}, partial: map[string]bool{}, hidden: map[string]bool{}, pageSize: 1000}
	for i := 1; i <= n; i++ {
		f.items[fmt.Sprintf("a%04d", i)] = 1
	}
	return f
}

func (f *fakeAPI) reader(mode string) *Reader[item] {
	r := NewReader(mode, "items", f.list, f.get, func(it *item) string { return it.id },
		func(it *item) bool { return !it.partial })
	return r
}

func (f *fakeAPI) list(ctx context.Context, page func([]item) error) error {
	f.lists.Add(1)
	if f.failList {
		return errors.New("listing failed")
	}
	f.mu.Lock()
	var all []item
	for _, id := range slices.Sorted(maps.Keys(f.items)) {
		if !f.hidden[id] {
			all = append(all, item{id: id, partial: f.partial[id], version: f.items[id]})
		}
	}
	f.mu.Unlock()
	for start := 0; start < len(all) || start == 0; start += f.pageSize {
		if start > 0 && f.pageGate != nil {
			select {
			case <-f.pageGate:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		f.pages.Add(1)
		if err := page(all[start:min(start+f.pageSize, len(all))]); err != nil {
			return err
		}
		if len(all) == 0 {
			break
		}
	}
	return nil
}

func (f *fakeAPI) get(_ context.Context, id string) (*item, error) {
	f.gets.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[id]
	if !ok {
		return nil, errGone
	}
	return &item{id: id, version: v}, nil
}

func (f *fakeAPI) calls() (lists, pages, gets int) {
	return int(f.lists.Load()), int(f.pages.Load()), int(f.gets.Load())
}

// readAll reads ids at once, as Terraform's parallel refresh does.
func readAll(t *testing.T, r *Reader[item], ids ...string) map[string]*item {
	t.Helper()
	var mu sync.Mutex
	got := map[string]*item{}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			it, err := r.Read(context.Background(), id)
			if err != nil && !errors.Is(err, errGone) {
				t.Errorf("read %s: %v", id, err)
			}
			mu.Lock()
			got[id] = it
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("a%04d", i+1)
	}
	return out
}

func wantCalls(t *testing.T, f *fakeAPI, lists, pages, gets int) {
	t.Helper()
	if l, p, g := f.calls(); l != lists || p != pages || g != gets {
		t.Errorf("calls: %d listings (%d pages), %d reads by id; want %d (%d), %d", l, p, g, lists, pages, gets)
	}
}

func TestWalkReaderCostBound(t *testing.T) {
	cases := []struct {
		name                       string
		mode                       string
		team, managed, pageSize    int
		wantLists, wantPages, gets int
	}{
		{"one agent in a large team: one read by id", ModeAuto, 2000, 1, 100, 0, 0, 1},
		{"two agents: two reads by id", ModeAuto, 2000, 2, 100, 0, 0, 2},
		{"many agents together: the listing only", ModeAuto, 120, 120, 1000, 1, 1, 0},
		{"many agents, paged listing: every page once", ModeAuto, 500, 500, 100, 1, 5, 0},
		{"list mode, one agent: the listing", ModeList, 10, 1, 1000, 1, 1, 0},
		{"by_id mode, many agents: one read each", ModeByID, 50, 50, 1000, 0, 0, 50},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(tc.team)
			f.pageSize = tc.pageSize
			got := readAll(t, f.reader(tc.mode), ids(tc.managed)...)
			for _, id := range ids(tc.managed) {
				if got[id] == nil || got[id].id != id {
					t.Errorf("%s: got %+v", id, got[id])
				}
			}
			wantCalls(t, f, tc.wantLists, tc.wantPages, tc.gets)
		})
	}
}

// Reads that come one after another (-parallelism=1, or dependencies): the
// first two by id, then one listing for all the others.
func TestWalkReaderSequentialReads(t *testing.T) {
	f := newFakeAPI(30)
	r := f.reader(ModeAuto)
	for _, id := range ids(30) {
		if it, err := r.Read(context.Background(), id); err != nil || it.id != id {
			t.Fatalf("read %s: %+v, %v", id, it, err)
		}
	}
	wantCalls(t, f, 1, 1, ReadsByIDFirst)
}

// An object missing from the listing (gone, or a stale listing) is read by
// id before anyone concludes it is gone; an item that shows only part of
// its object is read by id.
func TestWalkReaderConfirmsByID(t *testing.T) {
	f := newFakeAPI(10)
	delete(f.items, "a0003")  // gone
	f.hidden["a0004"] = true  // a stale listing
	f.partial["a0005"] = true // a summary
	got := readAll(t, f.reader(ModeList), ids(10)...)
	if got["a0003"] != nil {
		t.Errorf("a0003 is gone, got %+v", got["a0003"])
	}
	if got["a0004"] == nil || got["a0005"] == nil || got["a0005"].partial {
		t.Errorf("a0004 %+v, a0005 %+v: want both read by id", got["a0004"], got["a0005"])
	}
	wantCalls(t, f, 1, 1, 3)
}

// A failed listing makes every read go by id: it never makes an object
// look gone.
func TestWalkReaderFailedListing(t *testing.T) {
	f := newFakeAPI(6)
	f.failList = true
	got := readAll(t, f.reader(ModeList), ids(6)...)
	for _, id := range ids(6) {
		if got[id] == nil {
			t.Errorf("%s lost after a failed listing", id)
		}
	}
	wantCalls(t, f, 1, 0, 6)
}

// The run's own writes are never read back from a listing; the listing of
// all objects is made again after a write.
func TestWalkReaderOwnWrites(t *testing.T) {
	f := newFakeAPI(5)
	r := f.reader(ModeList)
	readAll(t, r, ids(5)...)
	r.Wrote("a0002")
	f.items["a0002"] = 2
	if it, _ := r.Read(context.Background(), "a0002"); it.version != 2 {
		t.Errorf("read back a written object from the listing: version %d", it.version)
	}
	if it, _ := r.Read(context.Background(), "a0001"); it.version != 1 {
		t.Errorf("a0001: %+v", it)
	}
	wantCalls(t, f, 1, 1, 1)
	all, err := r.All(context.Background())
	if err != nil || len(all) != 5 {
		t.Fatalf("all: %d, %v", len(all), err)
	}
	wantCalls(t, f, 2, 2, 1) // a new listing: the first began before the write
	if _, err := r.All(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, f, 2, 2, 1) // shared: no write since
}

// Under heavy parallelism exactly one listing is made, and reads whose
// object is on the first page do not wait for the other pages.
func TestWalkReaderOneListingPagesServedAsTheyCome(t *testing.T) {
	f := newFakeAPI(300)
	f.pageSize = 100
	f.pageGate = make(chan struct{})
	r := f.reader(ModeAuto)
	done := make(chan *item)
	for i := 0; i < 10; i++ {
		go func() {
			it, _ := r.Read(context.Background(), "a0001")
			done <- it
		}()
	}
	// The read that makes the listing returns when the listing is done; the
	// nine others as soon as the first page is in.
	for i := 0; i < 9; i++ {
		select {
		case it := <-done:
			if it == nil || it.id != "a0001" {
				t.Fatalf("got %+v", it)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a read of an object on the first page waited for the rest of the listing")
		}
	}
	close(f.pageGate)
	if it := <-done; it == nil || it.id != "a0001" {
		t.Fatalf("got %+v", it)
	}
	got := readAll(t, r, ids(300)...)
	if len(got) != 300 {
		t.Fatalf("%d reads", len(got))
	}
	wantCalls(t, f, 1, 3, 0)
}

// A read whose context ends while it waits returns the context's error.
func TestWalkReaderCancelled(t *testing.T) {
	f := newFakeAPI(300)
	f.pageSize = 100
	f.pageGate = make(chan struct{})
	defer close(f.pageGate)
	r := f.reader(ModeList)
	go func() { _, _ = r.Read(context.Background(), "a0001") }() // makes the listing, blocked after page 1
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := r.Read(ctx, "a0299"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v, want the deadline", err)
	}
}

// What a list-only reader (no read by id) concludes: an object missing from
// a complete listing is gone once a second listing (one per run) confirms
// it; a failed listing is an error, not a deletion; after a write, a new
// listing.
func TestWalkReaderListOnly(t *testing.T) {
	ctx := context.Background()
	api := newFakeAPI(3)
	r := NewReader(ModeAuto, "items", api.list, nil, func(it *item) string { return it.id },
		func(*item) bool { return true })
	if it, err := r.Read(ctx, "a0001"); err != nil || it.id != "a0001" {
		t.Fatalf("read: %+v, %v", it, err)
	}
	if _, err := r.Read(ctx, "a0009"); !NotListed(err) {
		t.Errorf("missing from the listing: %v", err)
	}
	if n := api.lists.Load(); n != 2 {
		t.Errorf("%d listings for two reads, one of an object missing, want 2 (the second confirms)", n)
	}
	if _, err := r.Read(ctx, "a0008"); !NotListed(err) {
		t.Errorf("missing from the listing: %v", err)
	}
	if n := api.lists.Load(); n != 2 {
		t.Errorf("%d listings: another missing object is confirmed by the same second listing, want 2", n)
	}
	r.Wrote("a0002")
	if _, err := r.Read(ctx, "a0002"); err != nil {
		t.Fatal(err)
	}
	if n, g := api.lists.Load(), api.gets.Load(); n != 3 || g != 0 {
		t.Errorf("after a write: %d listings, %d reads by id; want 3 and 0", n, g)
	}
	failing := newFakeAPI(3)
	failing.failList = true
	r = NewReader(ModeAuto, "items", failing.list, nil, func(it *item) string { return it.id },
		func(*item) bool { return true })
	_, err := r.Read(ctx, "a0001")
	if err == nil || NotListed(err) {
		t.Errorf("a failed listing must not read as gone: %v", err)
	}
	var nl *NotListedError
	if errors.As(err, &nl) {
		t.Errorf("a failed listing is not 'not listed': %v", err)
	}
}

// A second read by id of one object in a run (a resource, then another
// that refers to it) gets the first answer without a call, until the run
// writes the object.
func TestWalkReaderRemembersReadsByID(t *testing.T) {
	ctx := context.Background()
	api := newFakeAPI(5)
	r := api.reader(ModeByID)
	for range 3 {
		if _, err := r.Read(ctx, "a0001"); err != nil {
			t.Fatal(err)
		}
	}
	if n := api.gets.Load(); n != 1 {
		t.Errorf("%d reads by id for three reads of one object, want 1", n)
	}
	r.Wrote("a0001")
	if _, err := r.Read(ctx, "a0001"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(ctx, "a0001"); err != nil {
		t.Fatal(err)
	}
	if n := api.gets.Load(); n != 3 {
		t.Errorf("%d reads by id, want 3: a written object is always read again", n)
	}
	if _, err := r.Read(ctx, "a0009"); err == nil {
		t.Fatal("a missing object was found")
	}
	if _, err := r.Read(ctx, "a0009"); err == nil || api.gets.Load() != 5 {
		t.Errorf("a failed read must not be remembered: %d reads", api.gets.Load())
	}
}

// ReadThisRun answers, with no call, what the run has read already: an
// object read by id, or one shown whole by the run's listing; not an
// object the run has not read, one shown only in part, or one the walk
// wrote since.
func TestWalkReaderReadThisRun(t *testing.T) {
	f := newFakeAPI(5)
	f.partial["a0002"] = true
	r := f.reader(ModeList)
	if _, ok := r.ReadThisRun("a0001"); ok {
		t.Error("a0001 read before any read")
	}
	readAll(t, r, "a0001", "a0002", "a0003")
	_, _, gets := f.calls()
	for id, want := range map[string]bool{"a0001": true, "a0002": true, "a0003": true, "a0004": true, "a0009": false} {
		it, ok := r.ReadThisRun(id)
		if ok != want || (ok && it.id != id) {
			t.Errorf("ReadThisRun(%s) = %+v, %v; want %v", id, it, ok, want)
		}
	}
	// a0002 was read by id (the listing showed it in part), a0004 whole in
	// the listing: no call for either now.
	if lists, _, after := f.calls(); lists != 1 || after != gets {
		t.Errorf("%d listings, %d reads by id after ReadThisRun (before: %d)", lists, after, gets)
	}
	r.Wrote("a0001")
	if _, ok := r.ReadThisRun("a0001"); ok {
		t.Error("a0001 counts as read after the run wrote it")
	}

	byID := newFakeAPI(3).reader(ModeByID)
	if _, err := byID.Read(context.Background(), "a0002"); err != nil {
		t.Fatal(err)
	}
	if _, ok := byID.ReadThisRun("a0002"); !ok {
		t.Error("a0002 read by id is not read this run")
	}
	if _, ok := byID.ReadThisRun("a0003"); ok {
		t.Error("a0003 was never read")
	}
}

// A listing that once comes back without objects that exist (a proxy's
// 200 [], a glitch) makes none of them gone: the second listing shows them.
func TestWalkReaderListOnlyConfirmsAbsence(t *testing.T) {
	ctx := context.Background()
	api := newFakeAPI(3)
	api.hidden["a0001"] = true
	r := NewReader(ModeAuto, "items", func(ctx context.Context, page func([]item) error) error {
		err := api.list(ctx, page)
		delete(api.hidden, "a0001") // shown again from the second listing on
		return err
	}, nil, func(it *item) string { return it.id }, func(*item) bool { return true })
	if it, err := r.Read(ctx, "a0001"); err != nil || it.id != "a0001" {
		t.Fatalf("read: %+v, %v; want a0001 from the second listing", it, err)
	}
	if n := api.lists.Load(); n != 2 {
		t.Errorf("%d listings, want 2", n)
	}
}
