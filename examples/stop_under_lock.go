package darkpatterns

// Pattern: waiting for a goroutine while holding a lock it needs (not in
// the seed). Stop holds w.mu and waits on w.done; the loop must lock w.mu
// before it can close w.done. Both wait for ever.
// Fix: release the lock before waiting.

import "sync"

type worker struct {
	mu    sync.Mutex
	stop  chan struct{}
	done  chan struct{}
	count int
}

func (w *worker) Start() { go w.loop() }

func (w *worker) loop() {
	<-w.stop
	w.mu.Lock()
	w.count = 0
	w.mu.Unlock()
	close(w.done)
}

func (w *worker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.stop)
	<-w.done // GD406
}

func (w *worker) StopFixed() {
	close(w.stop)
	<-w.done
}
