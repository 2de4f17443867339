// Upstream: https://github.com/hashicorp/consul/pull/14916
// Project: hashicorp/consul
// Fix: the WatchCh goroutine is bounded by a context that is cancelled at
// the end of each loop iteration.
package fixed

import "context"

type WatchSet map[<-chan struct{}]struct{}

func (w WatchSet) Add(ch <-chan struct{}) { w[ch] = struct{}{} }

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
		case <-watch:
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
		if c.iterate() {
			return
		}
	}
}

func (c *CapacityController) iterate() bool {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws := WatchSet{}
	ws.Add(c.catalogChanged)
	select {
	case <-ws.WatchCh(ctx):
	case <-c.autopilotEvents:
	case <-c.stop:
		return true
	}
	return false
}
