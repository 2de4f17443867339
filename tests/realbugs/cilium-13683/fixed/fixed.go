// Upstream: https://github.com/cilium/cilium/pull/13683
// Project: cilium/cilium
// Fix: the waiting goroutine selects on `done` and on the endpoint's
// aliveCtx, which is cancelled when the endpoint is deleted.
package fixed

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
		select {
		case <-done:
		case <-e.aliveCtx.Done():
		}
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
