package never

import (
	"context"
	"time"
)

// GD504's cases: cancel never used, or only assigned to _. GD504 reports
// them; GD505 stays silent rather than report the same leak twice.

func onlyBlank(ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	_ = cancel
	return ctx
}

func earlierOnly(ctx context.Context) error {
	var cancel context.CancelFunc
	defer func() { _ = cancel }()
	ctx, cancel = context.WithCancel(ctx)
	return ctx.Err()
}

func discarded(ctx context.Context) context.Context {
	ctx, _ = context.WithCancel(ctx)
	return ctx
}
