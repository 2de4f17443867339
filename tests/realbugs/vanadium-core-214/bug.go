// Upstream: https://github.com/vanadium/core/pull/214
// Project: vanadium/core
// Bug: WithRootCancel spawns a goroutine that forwards cancellation from the
// root context to the new child, but it only waits on rootCtx.Done(). When
// the child is cancelled first (the common case for servers forwarding
// requests), the goroutine stays blocked until the root ends.
// Kind: leak
// Want: GD507
package vanadiumcore214

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
			<-rootCtx.Done() // BUG: leaks when the child is cancelled before the root
			cancel()
		}()
	}
	return &T{Context: ctx, root: rootCtx}, CancelFunc(cancel)
}
