package fix

import (
	"context"
	"time"
)

func work(ctx context.Context) error { return ctx.Err() }

// GD504: the cancel function discarded with _; the fix names it and defers
// it.
func run(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second)
	if err := work(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// Kept only to silence the compiler.
func named(parent context.Context, at time.Time) {
	ctx, stop := context.WithDeadline(parent, at) // until the deadline
	_ = stop
	_ = work(ctx)
}

// A second context in a function that already defers the first cancel.
func twoStage(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	defer cancel()
	if err := work(ctx); err != nil {
		return err
	}
	ctx, cancel = context.WithCancel(ctx)
	return work(ctx)
}
