package fixed

import (
	"context"
	"testing"
)

func TestSolveParallel(t *testing.T) {
	events := make([]Event, 3000)
	for i := range events {
		events[i] = Event{Op: Op(i % 3), Kind: "service", Obj: i}
	}
	_, errs := Solve(context.Background(), NewSyncer(events), 10, true)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
}
