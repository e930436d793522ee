package walk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeTeam is the team's objects, as the CreateGuard of these tests lists
// them; each object is new (fresh) unless marked old.
type fakeTeam struct {
	mu       sync.Mutex
	objects  map[string]bool // id -> fresh
	next     int
	lists    int
	failList bool
	empty    bool // the listing answers no object (a proxy's 200 [])
}

type obj struct {
	id    string
	fresh bool
}

func (f *fakeTeam) add(fresh bool) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	id := fmt.Sprintf("o%03d", f.next)
	f.objects[id] = fresh
	return id
}

func (f *fakeTeam) guard() *CreateGuard[obj] { return f.guardAdopting(true) }

// guardAdopting is guard with adopt_lost_creates set to adopt. Its listing
// fails when its context is done, as a real one does.
func (f *fakeTeam) guardAdopting(adopt bool) *CreateGuard[obj] {
	return NewCreateGuard("objects", adopt, func(ctx context.Context, _ bool) ([]*obj, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f.lists++
		if f.failList {
			return nil, errors.New("listing failed")
		}
		var out []*obj
		if f.empty {
			return out, nil
		}
		for id, fresh := range f.objects {
			out = append(out, &obj{id: id, fresh: fresh})
		}
		return out, nil
	}, func(o *obj) string { return o.id }, func(o *obj) bool { return o.fresh })
}

func newFakeTeam(old int) *fakeTeam {
	f := &fakeTeam{objects: map[string]bool{}}
	for i := 0; i < old; i++ {
		f.objects[fmt.Sprintf("old%03d", i)] = true // fresh-looking, but there before
	}
	return f
}

// create is one create through g: made says whether Kakiyo makes the
// object, lost whether its answer is lost.
func (f *fakeTeam) create(t *testing.T, g *CreateGuard[obj], made, lost bool) Outcome[obj] {
	t.Helper()
	if err := g.Begin(context.Background()); err != nil {
		t.Fatal(err)
	}
	id := ""
	if made {
		id = f.add(true)
	}
	switch {
	case lost:
		return g.Lost(context.Background())
	case made:
		g.Created(id)
	default:
		g.Failed()
	}
	return Outcome[obj]{}
}

func TestCreateGuardNoLostAnswers(t *testing.T) {
	f := newFakeTeam(5)
	g := f.guard()
	for i := 0; i < 3; i++ {
		f.create(t, g, true, false)
	}
	if f.lists != 1 {
		t.Errorf("%d listings, want the baseline only", f.lists)
	}
}

func TestCreateGuardLostAnswers(t *testing.T) {
	t.Run("made: adopted", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guard()
		out := f.create(t, g, true, true)
		if out.Adopted == nil || out.Adopted.id != "o001" || f.lists != 2 {
			t.Errorf("outcome %+v, %d listings", out, f.lists)
		}
	})
	t.Run("not made: sent again", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guard()
		if out := f.create(t, g, false, true); !out.Retry {
			t.Errorf("outcome %+v", out)
		}
	})
	t.Run("someone else created one meanwhile: no adoption", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guard()
		if err := g.Begin(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.add(true) // theirs
		f.add(true) // ours, answer lost
		out := g.Lost(context.Background())
		if out.Adopted != nil || len(out.Candidates) != 2 {
			t.Errorf("outcome %+v", out)
		}
		// Those candidates are never adopted later either.
		if out := f.create(t, g, false, true); !out.Retry {
			t.Errorf("later outcome %+v", out)
		}
	})
	t.Run("an object that does not look new is not a candidate", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guard()
		if err := g.Begin(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.add(false) // someone else's, already set up
		ours := f.add(true)
		if out := g.Lost(context.Background()); out.Adopted == nil || out.Adopted.id != ours {
			t.Errorf("outcome %+v, want %s adopted", out, ours)
		}
	})
	t.Run("an old object that looks new is not a candidate", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guard()
		if out := f.create(t, g, false, true); !out.Retry {
			t.Errorf("outcome %+v", out)
		}
	})
	t.Run("baseline listing failed", func(t *testing.T) {
		f := newFakeTeam(5)
		f.failList = true
		g := f.guard()
		if out := f.create(t, g, true, true); out.Err == nil || out.Adopted != nil || out.Retry {
			t.Errorf("outcome %+v", out)
		}
	})
}

// Two creates at once, both answers lost, both made: each adopts one, not
// the same; a create still in flight when an answer is lost claims its own
// object before the listing decides.
func TestCreateGuardConcurrentLostAnswers(t *testing.T) {
	f := newFakeTeam(3)
	g := f.guard()
	// Three creates in flight: two will lose their answers, one is slow.
	for i := 0; i < 3; i++ {
		if err := g.Begin(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	f.add(true)
	f.add(true)
	slow := f.add(true)
	var wg sync.WaitGroup
	outs := make([]Outcome[obj], 2)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = g.Lost(context.Background())
		}()
	}
	time.Sleep(50 * time.Millisecond) // the lost answers wait for the slow create
	g.Created(slow)
	wg.Wait()
	if outs[0].Adopted == nil || outs[1].Adopted == nil || outs[0].Adopted.id == outs[1].Adopted.id ||
		outs[0].Adopted.id == slow || outs[1].Adopted.id == slow {
		t.Errorf("outcomes %+v %+v (slow create's object %s)", outs[0], outs[1], slow)
	}
	if f.lists != 2 {
		t.Errorf("%d listings, want the baseline and one for both lost answers", f.lists)
	}
}

// With adopt_lost_creates = false, a lost answer adopts nothing: a new object
// may be another run's. Its candidates are named (unsure: not too many, but
// not to be adopted); with no candidate, Kakiyo made nothing and the create
// may be sent again.
func TestCreateGuardWithoutAdoption(t *testing.T) {
	t.Run("made: named, not adopted", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guardAdopting(false)
		out := f.create(t, g, true, true)
		if out.Adopted != nil || !out.Unsure || len(out.Candidates) != 1 || out.Candidates[0] != "o001" {
			t.Errorf("outcome %+v", out)
		}
	})
	t.Run("another run's object, ours not made: named, not adopted", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guardAdopting(false)
		if err := g.Begin(context.Background()); err != nil {
			t.Fatal(err)
		}
		theirs := f.add(true)
		out := g.Lost(context.Background())
		if out.Adopted != nil || len(out.Candidates) != 1 || out.Candidates[0] != theirs {
			t.Errorf("outcome %+v", out)
		}
	})
	t.Run("not made: sent again", func(t *testing.T) {
		f := newFakeTeam(5)
		g := f.guardAdopting(false)
		if out := f.create(t, g, false, true); !out.Retry || out.Candidates != nil {
			t.Errorf("outcome %+v", out)
		}
	})
}

// A create cut off by Terraform's stop (Ctrl-C: its context is canceled)
// is settled all the same: the listing that finds what Kakiyo made runs on
// a context of its own.
func TestCreateGuardSettlesAfterCancel(t *testing.T) {
	f := newFakeTeam(2)
	g := f.guard()
	ctx, cancel := context.WithCancel(context.Background())
	if err := g.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	ours := f.add(true)
	cancel()
	out := g.Lost(ctx)
	if out.Adopted == nil || out.Adopted.id != ours || out.Err != nil {
		t.Errorf("outcome %+v, want %s adopted", out, ours)
	}
	// A create not yet begun when the run was stopped sends nothing.
	if err := g.Begin(ctx); err == nil {
		t.Error("begin after the stop must fail")
	}
}

// A settlement listing that shows none of the objects the baseline showed
// (a proxy's 200 [], a wrong base URL's empty list) cannot tell that Kakiyo
// made nothing: the create is not sent again (it could buy a second
// object), and the outcome says why.
func TestCreateGuardDistrustsAnEmptyListing(t *testing.T) {
	f := newFakeTeam(5)
	g := f.guard()
	if err := g.Begin(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.add(true) // made; its answer lost
	f.empty = true
	out := g.Lost(context.Background())
	if out.Retry || out.Adopted != nil || out.Err == nil {
		t.Errorf("outcome %+v, want an error and no retry", out)
	}
}
