// Upstream: https://github.com/vanadium/core/pull/214
// Project: vanadium/core
// Fix: the forwarding goroutine selects on both rootCtx.Done() and the
// child's ctx.Done(), exiting whichever ends first.
package fixed

import "context"

type T struct {
	context.Context
	root *T
}

type CancelFunc func()

func WithRootCancel(parent *T) (*T, CancelFunc) {
	rootCtx := parent.root
	ctx, cancel := context.WithCancel(context.Background())
	if rootCtx != nil {
		go func() {
			select {
			case <-rootCtx.Done():
				cancel()
			case <-ctx.Done():
				cancel()
			}
		}()
	}
	return &T{Context: ctx, root: rootCtx}, CancelFunc(cancel)
}
