// Upstream: https://github.com/hashicorp/hcat/issues/8 (fix: https://github.com/hashicorp/hcat/pull/10)
// Project: hashicorp/hcat
// Bug: Stop shuts down the view pollers, but a goroutine already in Wait()
// keeps selecting on dataCh/errCh, which nobody will ever send on again.
// Without a timeout that Wait goroutine never exits.
// Kind: leak
// Want: GD109
package hcat8

import "time"

type view struct{ data string }

type Watcher struct {
	dataCh chan *view
	errCh  chan error
	stopCh chan struct{}
}

func NewWatcher() *Watcher {
	w := &Watcher{dataCh: make(chan *view), errCh: make(chan error), stopCh: make(chan struct{})}
	go w.poll()
	return w
}

func (w *Watcher) poll() {
	for {
		select {
		case <-w.stopCh:
			return
		case <-time.After(time.Second):
			select {
			case w.dataCh <- &view{data: "x"}:
			case <-w.stopCh:
				return
			}
		}
	}
}

func (w *Watcher) Wait(timeout time.Duration) error {
	var timeoutCh <-chan time.Time
	if timeout > 0 {
		timeoutCh = time.After(timeout)
	}
	select { // BUG: no case for Stop; blocks forever after Stop when timeout == 0
	case <-w.dataCh:
		return nil
	case err := <-w.errCh:
		return err
	case <-timeoutCh:
		return nil
	}
}

func (w *Watcher) Stop() {
	close(w.stopCh)
}
