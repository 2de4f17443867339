// Upstream: https://github.com/cilium/cilium/pull/13683
// Project: cilium/cilium
// Bug: RunMetadataResolver starts a goroutine that waits on `done`, which is
// closed only when the resolver controller succeeds. If the pod is never
// found, the endpoint is deleted and the controller stopped, but the
// goroutine stays in "chan receive" forever.
// Kind: leak
// Want: none (why: the channel a goroutine waits on is closed only inside a callback handed to another function, which may never succeed)
package cilium13683

import (
	"context"
	"time"
)

type Endpoint struct {
	aliveCtx    context.Context
	aliveCancel context.CancelFunc
}

func NewEndpoint() *Endpoint {
	e := &Endpoint{}
	e.aliveCtx, e.aliveCancel = context.WithCancel(context.Background())
	return e
}

// runController retries doFunc until it succeeds or the endpoint is deleted.
func (e *Endpoint) runController(doFunc func() error) {
	go func() {
		for {
			if doFunc() == nil {
				return
			}
			select {
			case <-e.aliveCtx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (e *Endpoint) RunMetadataResolver(resolveMetadata func() error) {
	done := make(chan struct{})
	go func() {
		<-done // BUG: never closed when the resolver never succeeds
		e.removeController()
	}()
	e.runController(func() error {
		if err := resolveMetadata(); err != nil {
			return err
		}
		close(done)
		return nil
	})
}

func (e *Endpoint) removeController() {}

func (e *Endpoint) Delete() { e.aliveCancel() }
