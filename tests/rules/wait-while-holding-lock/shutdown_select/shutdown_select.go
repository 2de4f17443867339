package shutdown_select

// A send or receive in a select whose other cases only receive from
// shutdown channels (field channels that only Stop, Close, Shutdown...
// close or send on) blocks like a plain operation while the program runs:
// under a lock the counterpart needs, it waits until shutdown
// (lnd#3980). Medium at most. Bad cases carry a want comment; their fixed
// twins and look-alikes stay silent.

import (
	"context"
	"errors"
	"sync"
	"time"
)

var errShuttingDown = errors.New("shutting down")

// Registry: Notify holds the lock and, through startTimer, sends to the
// event loop in a select that also watches quit; the loop takes the lock
// in its tick case.
type Registry struct {
	sync.Mutex
	releases chan int
	quit     chan struct{}
	wg       sync.WaitGroup
}

func NewRegistry() *Registry {
	return &Registry{releases: make(chan int), quit: make(chan struct{})}
}

func (r *Registry) Start() {
	r.wg.Add(1)
	go r.loop()
}

func (r *Registry) Stop() {
	close(r.quit)
	r.wg.Wait()
}

func (r *Registry) loop() {
	defer r.wg.Done()
	var pending []int
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case k := <-r.releases:
			pending = append(pending, k)
		case <-tick.C:
			if len(pending) > 0 {
				r.cancel(pending[0])
				pending = pending[1:]
			}
		case <-r.quit:
			return
		}
	}
}

func (r *Registry) cancel(k int) {
	r.Lock()
	defer r.Unlock()
	_ = k
}

func (r *Registry) startTimer(k int) error {
	select {
	case r.releases <- k:
		return nil
	case <-r.quit:
		return errShuttingDown
	}
}

func (r *Registry) Notify(k int) error {
	r.Lock()
	defer r.Unlock()
	return r.startTimer(k) // want "this call of r.startTimer sends on r.releases .* and waits while holding r.Mutex .* must lock r.Mutex first on some paths.*forever$"
}

// NotifyDirect sends in the select itself, under the lock.
func (r *Registry) NotifyDirect(k int) error {
	r.Lock()
	defer r.Unlock()
	select {
	case r.releases <- k: // want "this send on r.releases waits while holding r.Mutex .* must lock r.Mutex first on some paths.*forever$"
		return nil
	case <-r.quit:
		return errShuttingDown
	}
}

// NotifyUnlocked is the fixed twin: the lock is released before the send.
func (r *Registry) NotifyUnlocked(k int) error {
	r.Lock()
	ok := k > 0
	r.Unlock()
	if !ok {
		return nil
	}
	return r.startTimer(k)
}

// NotifyOrTimeout is a look-alike: a timeout case ends the wait.
func (r *Registry) NotifyOrTimeout(k int) error {
	r.Lock()
	defer r.Unlock()
	select {
	case r.releases <- k:
		return nil
	case <-r.quit:
		return errShuttingDown
	case <-time.After(time.Second):
		return errors.New("timeout")
	}
}

// TryNotify is a look-alike: a default case, the send never waits.
func (r *Registry) TryNotify(k int) bool {
	r.Lock()
	defer r.Unlock()
	select {
	case r.releases <- k:
		return true
	case <-r.quit:
		return false
	default:
		return false
	}
}

// Worker: a look-alike, the other case is the caller's context: the wait
// ends when the caller gives up, not only at shutdown.
type Worker struct {
	mu   sync.Mutex
	jobs chan int
	n    int
}

func NewWorker() *Worker {
	w := &Worker{jobs: make(chan int)}
	go w.run()
	return w
}

func (w *Worker) run() {
	for j := range w.jobs {
		w.mu.Lock()
		w.n += j
		w.mu.Unlock()
	}
}

func (w *Worker) Submit(ctx context.Context, j int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case w.jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
