// Upstream: https://github.com/Kong/deck/pull/381 (fix: https://github.com/Kong/deck/commit/291ef6a536f05678d1fbddc6071194fe9ce65b97)
// Project: Kong/deck
// Bug: Solve counts the operations it performs in a local Stats through the
// closure recordOp, which the action passed to syncer.Run calls for every
// event. Run hands events to `parallelism` worker goroutines, so several
// workers do `stats.CreateOps = stats.CreateOps + 1` at once: a data race
// on the counters (and lost counts).
// Kind: race
// Want: GD601
package deck381

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
	CreateOps int
	UpdateOps int
	DeleteOps int
}

// Solve generates a diff and walks the graph.
func Solve(ctx context.Context, syncer *Syncer, parallelism int, dry bool) (Stats, []error) {
	var stats Stats
	recordOp := func(op Op) {
		switch op {
		case Create:
			stats.CreateOps = stats.CreateOps + 1 // BUG: called from every worker goroutine of syncer.Run
		case Update:
			stats.UpdateOps = stats.UpdateOps + 1
		case Delete:
			stats.DeleteOps = stats.DeleteOps + 1
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
