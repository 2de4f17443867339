package stranded

import (
	"context"
	"time"
)

// A select whose live cases are all stranded: poll stops sending on
// dataCh once stopCh is closed, nothing ever sends on errCh, and
// timeoutCh is nil when no timeout is given (hashicorp/hcat#8).
type view struct{ data string }

type watcher struct {
	dataCh chan *view
	errCh  chan error
	stopCh chan struct{}
}

func newWatcher() *watcher {
	w := &watcher{dataCh: make(chan *view), errCh: make(chan error), stopCh: make(chan struct{})}
	go w.poll()
	return w
}

func (w *watcher) poll() {
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

func (w *watcher) Wait(timeout time.Duration) error {
	var timeoutCh <-chan time.Time
	if timeout > 0 {
		timeoutCh = time.After(timeout)
	}
	select { // want "this select blocks forever once poll stops sending on w.dataCh .* nothing sends on watcher.errCh or closes it, timeoutCh is nil when `timeout > 0` is false"
	case <-w.dataCh:
		return nil
	case err := <-w.errCh:
		return err
	case <-timeoutCh:
		return nil
	}
}

func (w *watcher) Stop() { close(w.stopCh) }

// Fixed twin: Wait also selects on the stop channel.
type watcherFixed struct {
	dataCh chan *view
	errCh  chan error
	stopCh chan struct{}
}

func newWatcherFixed() *watcherFixed {
	w := &watcherFixed{dataCh: make(chan *view), errCh: make(chan error), stopCh: make(chan struct{})}
	go w.poll()
	return w
}

func (w *watcherFixed) poll() {
	for {
		select {
		case <-w.stopCh:
			return
		case w.dataCh <- &view{data: "x"}:
		}
	}
}

func (w *watcherFixed) Wait(timeout time.Duration) error {
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

func (w *watcherFixed) Stop() { close(w.stopCh) }

// Look-alikes that must stay silent.

// The timeout is set on every path: it always fires.
func (w *watcherFixed) WaitAlways(timeout time.Duration) error {
	var timeoutCh <-chan time.Time
	if timeout > 0 {
		timeoutCh = time.After(timeout)
	} else {
		timeoutCh = time.After(time.Minute)
	}
	select {
	case <-w.dataCh:
		return nil
	case <-timeoutCh:
		return nil
	}
}

func (w *watcherFixed) WaitFor(timeout time.Duration) error {
	select {
	case <-w.dataCh:
		return nil
	case <-time.After(timeout):
		return nil
	}
}

// A context can end the wait.
func (w *watcherFixed) WaitCtx(ctx context.Context) error {
	select {
	case <-w.dataCh:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A default: never blocks.
func (w *watcherFixed) Poll() bool {
	var never chan struct{}
	select {
	case <-w.dataCh:
		return true
	case <-never:
		return false
	default:
		return false
	}
}

// The error channel is closed by a goroutine: the close wakes the select.
type fetcher struct {
	dataCh chan int
	errCh  chan error
	stopCh chan struct{}
}

func newFetcher() *fetcher {
	f := &fetcher{dataCh: make(chan int), errCh: make(chan error), stopCh: make(chan struct{})}
	go f.loop()
	go f.watch()
	return f
}

func (f *fetcher) loop() {
	for {
		select {
		case f.dataCh <- 1:
		case <-f.stopCh:
			return
		}
	}
}

func (f *fetcher) watch() {
	close(f.errCh)
}

func (f *fetcher) Next() (int, error) {
	var timeoutCh <-chan time.Time
	select {
	case v := <-f.dataCh:
		return v, nil
	case err := <-f.errCh:
		return 0, err
	case <-timeoutCh:
		return 0, nil
	}
}

func (f *fetcher) Stop() { close(f.stopCh) }

// Both cases wait on the same loop, which stops on quit.
type pair struct {
	left  chan int
	right chan int
	quit  chan struct{}
}

func newPair() *pair {
	p := &pair{left: make(chan int), right: make(chan int), quit: make(chan struct{})}
	go p.run()
	return p
}

func (p *pair) run() {
	for i := 0; ; i++ {
		select {
		case p.left <- i:
		case p.right <- -i:
		case <-p.quit:
			return
		}
	}
}

func (p *pair) Next() int {
	select { // want "this select blocks forever once run stops sending on p.left .* its other cases are stranded the same way"
	case v := <-p.left:
		return v
	case v := <-p.right:
		return v
	}
}

func (p *pair) Close() { close(p.quit) }

// A quit channel nothing closes: the loop never gives up.
type never struct {
	in   chan int
	quit chan struct{}
}

func newNever() *never {
	n := &never{in: make(chan int), quit: make(chan struct{})}
	go n.run()
	return n
}

func (n *never) run() {
	for {
		select {
		case <-n.in:
		case <-n.quit:
			return
		}
	}
}

func (n *never) Put(v int) { n.in <- v }
