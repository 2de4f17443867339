package darkpatterns

// Pattern: lost cancellation (seed, 2.3).
// The cancel function of context.WithTimeout is thrown away: the context's
// timer and its entry in the parent stay alive until the timeout fires, and
// nothing can stop the work early.
// Fix: keep cancel and `defer cancel()`.

import (
	"context"
	"time"
)

func fetch(ctx context.Context) error {
	ctx, _ = context.WithTimeout(ctx, time.Second) // GD504
	<-ctx.Done()
	return ctx.Err()
}

func fetchFixed(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	<-ctx.Done()
	return ctx.Err()
}
