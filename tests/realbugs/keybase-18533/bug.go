// Upstream: https://github.com/keybase/client/pull/18533
// Project: keybase/client
// Bug: Stop closes b.stopCh and replaces it with a fresh channel. The
// background loop reads the field b.stopCh again inside waitForResume, so
// after Stop it can pick up the new, never-closed channel and hang there
// indefinitely (test deadlock).
// Kind: leak
// Want: GD113
package keybase18533

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
	go b.loop()
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

func (b *BackgroundConvLoader) getStopCh() chan struct{} {
	b.Lock()
	defer b.Unlock()
	return b.stopCh
}

func (b *BackgroundConvLoader) waitForResume() bool {
	select {
	case <-b.resumeCh:
		return false
	case <-b.getStopCh(): // BUG: after Stop this is the new stopCh, never closed
		return true
	}
}

func (b *BackgroundConvLoader) loop() {
	for {
		if b.isSuspended() && b.waitForResume() {
			return
		}
		select {
		case <-b.getStopCh():
			return
		default:
		}
	}
}
