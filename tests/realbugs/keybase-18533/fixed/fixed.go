// Upstream: https://github.com/keybase/client/pull/18533
// Project: keybase/client
// Fix: "pass stopCh in directly to background loops": Start hands the
// current stopCh to loop, which passes it on to waitForResume.
package fixed

import "sync"

type BackgroundConvLoader struct {
	sync.Mutex
	stopCh    chan struct{}
	resumeCh  chan struct{}
	suspended bool
	started   bool
}

func NewBackgroundConvLoader() *BackgroundConvLoader {
	return &BackgroundConvLoader{stopCh: make(chan struct{}), resumeCh: make(chan struct{})}
}

func (b *BackgroundConvLoader) Start() {
	b.Lock()
	defer b.Unlock()
	if b.started {
		return
	}
	b.started = true
	go b.loop(b.stopCh)
}

func (b *BackgroundConvLoader) Stop() {
	b.Lock()
	defer b.Unlock()
	if b.started {
		b.started = false
		close(b.stopCh)
		b.stopCh = make(chan struct{})
	}
}

func (b *BackgroundConvLoader) isSuspended() bool {
	b.Lock()
	defer b.Unlock()
	return b.suspended
}

func (b *BackgroundConvLoader) waitForResume(stopCh chan struct{}) bool {
	select {
	case <-b.resumeCh:
		return false
	case <-stopCh:
		return true
	}
}

func (b *BackgroundConvLoader) loop(stopCh chan struct{}) {
	for {
		if b.isSuspended() && b.waitForResume(stopCh) {
			return
		}
		select {
		case <-stopCh:
			return
		default:
		}
	}
}
