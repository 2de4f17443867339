// Upstream: https://github.com/hashicorp/hcat/issues/8 (fix: https://github.com/hashicorp/hcat/pull/10)
// Project: hashicorp/hcat
// Fix: "calling Stop now triggers Wait to return": Wait also selects on the
// internal stop channel.
package fixed

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
	select {
	case <-w.dataCh:
		return nil
	case err := <-w.errCh:
		return err
	case <-timeoutCh:
		return nil
	case <-w.stopCh:
		return nil
	}
}

func (w *Watcher) Stop() {
	close(w.stopCh)
}
