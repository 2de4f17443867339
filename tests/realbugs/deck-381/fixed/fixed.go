// Upstream: https://github.com/Kong/deck/pull/381 (fix: https://github.com/Kong/deck/commit/291ef6a536f05678d1fbddc6071194fe9ce65b97)
// Project: Kong/deck
// Fix: the counters become *AtomicInt32Counter, a struct with its own
// RWMutex whose Increment locks it (commit 291ef6a; the PR first used
// sync/atomic and settled on a mutex).
package fixed

import (
	"context"
	"fmt"
	"sync"
)

type Op int

const (
	Create Op = iota
	Update
	Delete
)

// Event represents an entity and the operation to be done on it.
type Event struct {
	Op   Op
	Kind string
	Obj  interface{}
}

// Syncer takes in a current and target state of Kong and syncs them.
type Syncer struct {
	events []Event
}

func NewSyncer(events []Event) *Syncer {
	return &Syncer{events: events}
}

// Do is the worker function to sync the diff.
type Do func(a Event) (interface{}, error)

// Run starts a diff and invokes d for every diff, from parallelism workers.
func (sc *Syncer) Run(ctx context.Context, parallelism int, d Do) []error {
	eventChan := make(chan Event)
	var errs []error
	var errMu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < parallelism; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range eventChan {
				if _, err := d(e); err != nil {
					errMu.Lock()
					errs = append(errs, err)
					errMu.Unlock()
				}
			}
		}()
	}
	for _, e := range sc.events {
		select {
		case eventChan <- e:
		case <-ctx.Done():
		}
	}
	close(eventChan)
	wg.Wait()
	return errs
}

// Stats holds the stats related to a Solve.
type Stats struct {
	CreateOps *AtomicInt32Counter
	UpdateOps *AtomicInt32Counter
	DeleteOps *AtomicInt32Counter
}

type AtomicInt32Counter struct {
	counter int32
	lock    sync.RWMutex
}

func (a *AtomicInt32Counter) Increment(delta int32) {
	a.lock.Lock()
	defer a.lock.Unlock()
	a.counter += delta
}

func (a *AtomicInt32Counter) Count() int32 {
	a.lock.RLock()
	defer a.lock.RUnlock()
	return a.counter
}

// Solve generates a diff and walks the graph.
func Solve(ctx context.Context, syncer *Syncer, parallelism int, dry bool) (Stats, []error) {
	stats := Stats{
		CreateOps: &AtomicInt32Counter{},
		UpdateOps: &AtomicInt32Counter{},
		DeleteOps: &AtomicInt32Counter{},
	}
	recordOp := func(op Op) {
		switch op {
		case Create:
			stats.CreateOps.Increment(1)
		case Update:
			stats.UpdateOps.Increment(1)
		case Delete:
			stats.DeleteOps.Increment(1)
		}
	}

	errs := syncer.Run(ctx, parallelism, func(e Event) (interface{}, error) {
		switch e.Op {
		case Create, Update, Delete:
		default:
			panic("unknown operation " + fmt.Sprint(e.Op))
		}
		// sync mode fires the request to Kong (left out); diff mode (dry)
		// returns the new obj as is
		result := e.Obj
		// record operation in both: diff and sync commands
		recordOp(e.Op)
		return result, nil
	})
	return stats, errs
}
