// Upstream: https://github.com/hashicorp/consul/pull/14916
// Project: hashicorp/consul
// Bug: memdb's WatchSet.WatchCh starts a goroutine that waits until a watched
// channel fires or the given context is cancelled. The capacity controller
// called WatchCh with context.Background() on every loop iteration, so each
// autopilot event left one more goroutine blocked until catalog churn.
// Kind: leak
// Want: none (why: the leaking goroutine lives in a library call, WatchCh(context.Background()), made once per loop iteration)
package consul14916

import "context"

type WatchSet map[<-chan struct{}]struct{}

func (w WatchSet) Add(ch <-chan struct{}) { w[ch] = struct{}{} }

// WatchCh mirrors go-memdb: it creates a goroutine whose lifetime the caller
// must bound through ctx.
func (w WatchSet) WatchCh(ctx context.Context) <-chan error {
	ch := make(chan error, 1)
	go func() {
		ch <- w.WatchCtx(ctx)
	}()
	return ch
}

func (w WatchSet) WatchCtx(ctx context.Context) error {
	for watch := range w {
		select {
		case <-watch: // BUG: with context.Background() only catalog churn ends this wait
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

type CapacityController struct {
	catalogChanged  <-chan struct{}
	autopilotEvents chan struct{}
	stop            chan struct{}
}

func (c *CapacityController) Run() {
	for {
		ws := WatchSet{}
		ws.Add(c.catalogChanged)
		select {
		case <-ws.WatchCh(context.Background()):
		case <-c.autopilotEvents:
		case <-c.stop:
			return
		}
	}
}
