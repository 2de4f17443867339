package cancel_forwarder_ignores_done

import (
	"context"
	"errors"
	"time"
)

// vanadium/core#214: the forwarder waits only for the root; the caller
// gets cancel and usually ends the child first.
func WithRoot(parent, root context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-root.Done() // want "this goroutine waits only for root.Done\(\) before it calls cancel, never for ctx.Done\(\): its cancel is also returned"
		cancel()
	}()
	return ctx, cancel
}

// The fixed twin.
func WithRootFixed(parent, root context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		select {
		case <-root.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

type manager struct {
	quitCh chan struct{}
	revoke func(ctx context.Context) error
}

// hashicorp/vault#5505: one watcher per attempt, the attempt's context has a
// deadline, the watcher waits for the long-lived ctx and the quit channel.
func (m *manager) revokeAll(ctx context.Context) {
	for attempt := 0; attempt < 6; attempt++ {
		revokeCtx, cancel := context.WithTimeout(ctx, time.Minute)
		go func() {
			select { // want "waits only for ctx.Done\(\) or m.quitCh before it calls cancel, never for revokeCtx.Done\(\): it has a deadline"
			case <-ctx.Done():
			case <-m.quitCh:
				cancel()
			}
		}()
		if m.revoke(revokeCtx) == nil {
			return
		}
	}
}

// A server call tied to the server's quit channel; the call returns first.
func (m *manager) call(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		<-m.quitCh // want "waits only for m.quitCh before it calls cancel, never for ctx.Done\(\): its cancel is also deferred"
		cancel()
	}()
	return m.revoke(ctx)
}

// The fixed twin.
func (m *manager) callFixed(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-m.quitCh:
			cancel()
		case <-ctx.Done():
		}
	}()
	return m.revoke(ctx)
}

// Look-alikes that stay silent.

// The adapter: only the goroutine cancels, so the context lives exactly as
// long as the goroutine.
func FromChannel(stop <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-stop
		cancel()
	}()
	return ctx
}

// A local channel the function closes when it returns.
func (m *manager) withLocal(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
		case <-m.quitCh:
			cancel()
		}
	}()
	return m.revoke(ctx)
}

// A timer ends the wait.
func (m *manager) withTimer(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-time.After(time.Second):
		case <-m.quitCh:
			cancel()
		}
	}()
	return m.revoke(ctx)
}

// A derived context of the child ends with it.
func (m *manager) withDerived(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sub, subCancel := context.WithTimeout(ctx, time.Second)
	defer subCancel()
	go func() {
		select {
		case <-sub.Done():
		case <-m.quitCh:
			cancel()
		}
	}()
	return m.revoke(sub)
}

// A loop: a worker, not a one-shot forwarder.
func (m *manager) worker(ctx context.Context, in <-chan int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for range in {
		}
		cancel()
	}()
	return m.revoke(ctx)
}

// cancel called only on an early exit before the goroutine starts
// (vitess's memorytopo election).
func (m *manager) lead() (context.Context, error) {
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.revoke(ctx); err != nil {
		cancel()
		return nil, err
	}
	go func() {
		<-m.quitCh
		cancel()
	}()
	return ctx, nil
}

// The function itself returns only once the signal has come (cilium's
// hubble peer manager): the deferred cancel never runs first.
func (m *manager) watch() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-m.quitCh
		cancel()
	}()
	for {
		if err := m.revoke(ctx); errors.Is(err, context.Canceled) {
			continue
		}
		select {
		case <-m.quitCh:
			return
		case <-time.After(time.Second):
		}
	}
}
