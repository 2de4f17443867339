package cancel_not_called

import (
	"context"
	"time"
)

func retry(ctx context.Context, f func() error) {
	for ctx.Err() == nil {
		_ = f()
		time.Sleep(time.Second)
	}
}

func watch(ctx context.Context, ch chan<- string) error { return nil }

// consul's servercert manager: the callback cancels the previous watch
// before it starts the next one; the last one ends with the parent ctx.
// The cancel assigned here is called on the callback's next run.
func WatchToken(ctx context.Context, ch chan<- string) {
	var (
		watchCtx context.Context
		cancel   context.CancelFunc = func() {}
	)
	retry(ctx, func() error {
		cancel()
		watchCtx, cancel = context.WithCancel(ctx)
		return watch(watchCtx, ch)
	})
}

// The same shape in a literal called once: nothing calls the last cancel.
func WatchOnce(ctx context.Context, ch chan<- string) {
	var (
		watchCtx context.Context
		cancel   context.CancelFunc = func() {}
	)
	func() {
		cancel()
		watchCtx, cancel = context.WithCancel(ctx) // want "cancel from context.WithCancel is never used after this assignment"
		_ = watch(watchCtx, ch)
	}()
}

type checker struct{ done <-chan struct{} }

// client-go's mock: a leak the author marked for go vet's lostcancel.
func (c *checker) arm(d time.Duration) {
	ctx := context.Background()
	// This leaks a cancel, but is hard to avoid.
	//nolint:govet
	ctx, _ = context.WithTimeout(ctx, d) // want "the cancel function of context.WithTimeout is discarded with _.* \[low confidence\]"
	c.done = ctx.Done()
}
