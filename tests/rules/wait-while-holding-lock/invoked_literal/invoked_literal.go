package invoked_literal

// A func literal called where it is written (`func(id T) { q.mu.Lock();
// defer q.mu.Unlock(); ... }(id)`) runs there, once: its locks are the
// enclosing function's (keybase/client#22797). Bad cases carry a want
// comment; their fixed twins and look-alikes stay silent.

import (
	"context"
	"sync"
)

// RekeyQueue: Shutdown waits for the dispatch goroutine under q.mu; the
// goroutine locks q.mu inside an invoked literal before it can return.
type RekeyQueue struct {
	queue  chan string
	cancel context.CancelFunc
	doneCh chan struct{}

	mu       sync.Mutex
	pendings map[string]bool
}

func NewRekeyQueue() *RekeyQueue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &RekeyQueue{queue: make(chan string, 8), cancel: cancel, doneCh: make(chan struct{}), pendings: map[string]bool{}}
	go q.run(ctx)
	return q
}

func (q *RekeyQueue) run(ctx context.Context) {
	defer close(q.doneCh)
	for {
		select {
		case id := <-q.queue:
			func(id string) {
				q.mu.Lock()
				defer q.mu.Unlock()
				delete(q.pendings, id)
			}(id)
		case <-ctx.Done():
			return
		}
	}
}

func (q *RekeyQueue) Shutdown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cancel()
	<-q.doneCh // want "this receive from q.doneCh waits while holding q.mu .* the goroutine that closes it .* must lock q.mu first on some paths.*forever$"
}

// FixedQueue: the fixed twin, Shutdown lets go of the lock before waiting.
type FixedQueue struct {
	queue  chan string
	cancel context.CancelFunc
	doneCh chan struct{}

	mu       sync.Mutex
	pendings map[string]bool
}

func NewFixedQueue() *FixedQueue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &FixedQueue{queue: make(chan string, 8), cancel: cancel, doneCh: make(chan struct{}), pendings: map[string]bool{}}
	go q.run(ctx)
	return q
}

func (q *FixedQueue) run(ctx context.Context) {
	defer close(q.doneCh)
	for {
		select {
		case id := <-q.queue:
			func(id string) {
				q.mu.Lock()
				defer q.mu.Unlock()
				delete(q.pendings, id)
			}(id)
		case <-ctx.Done():
			return
		}
	}
}

func (q *FixedQueue) Shutdown() {
	q.mu.Lock()
	cancel := q.cancel
	q.mu.Unlock()
	cancel()
	<-q.doneCh
}

// SpawnQueue: a look-alike, the literal is started by go, not called: the
// dispatch goroutine itself never waits for q.mu.
type SpawnQueue struct {
	queue  chan string
	cancel context.CancelFunc
	doneCh chan struct{}

	mu       sync.Mutex
	pendings map[string]bool
}

func NewSpawnQueue() *SpawnQueue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &SpawnQueue{queue: make(chan string, 8), cancel: cancel, doneCh: make(chan struct{}), pendings: map[string]bool{}}
	go q.run(ctx)
	return q
}

func (q *SpawnQueue) run(ctx context.Context) {
	defer close(q.doneCh)
	for {
		select {
		case id := <-q.queue:
			go func(id string) {
				q.mu.Lock()
				defer q.mu.Unlock()
				delete(q.pendings, id)
			}(id)
		case <-ctx.Done():
			return
		}
	}
}

func (q *SpawnQueue) Shutdown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cancel()
	<-q.doneCh
}

// OtherLockQueue: a look-alike, the invoked literal locks another mutex
// than the one Shutdown holds.
type OtherLockQueue struct {
	queue  chan string
	cancel context.CancelFunc
	doneCh chan struct{}

	mu       sync.Mutex
	pmu      sync.Mutex
	pendings map[string]bool
}

func NewOtherLockQueue() *OtherLockQueue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &OtherLockQueue{queue: make(chan string, 8), cancel: cancel, doneCh: make(chan struct{}), pendings: map[string]bool{}}
	go q.run(ctx)
	return q
}

func (q *OtherLockQueue) run(ctx context.Context) {
	defer close(q.doneCh)
	for {
		select {
		case id := <-q.queue:
			func(id string) {
				q.pmu.Lock()
				defer q.pmu.Unlock()
				delete(q.pendings, id)
			}(id)
		case <-ctx.Done():
			return
		}
	}
}

func (q *OtherLockQueue) Shutdown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cancel()
	<-q.doneCh
}
