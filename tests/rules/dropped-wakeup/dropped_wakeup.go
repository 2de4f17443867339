package dropped

import (
	"sync"
	"time"
)

// A condition variable made of a channel (juicefs#3782): Signal sends only
// if a waiter is parked, so a waiter between Unlock and the receive misses it.
type cond struct {
	L      sync.Locker
	signal chan bool
}

func newCond(l sync.Locker) *cond { return &cond{L: l, signal: make(chan bool)} }

func (c *cond) Signal() {
	select {
	case c.signal <- true:
	default:
	}
}

func (c *cond) Wait() {
	c.L.Unlock()
	<-c.signal // want "this receive from c.signal can wait for good: every send on cond.signal is non-blocking and it has no buffer"
	c.L.Lock()
}

// A worker woken by kicks that are dropped while it works.
type worker struct {
	kick chan struct{}
}

func newWorker() *worker {
	w := &worker{kick: make(chan struct{})}
	go w.run()
	return w
}

func (w *worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *worker) run() {
	for range w.kick { // want "this range over w.kick can wait for good"
		time.Sleep(time.Millisecond)
	}
}

// Fixed: a buffer of one keeps a pending kick.
type fixedWorker struct {
	kick chan struct{}
}

func newFixedWorker() *fixedWorker {
	w := &fixedWorker{kick: make(chan struct{}, 1)}
	go w.run()
	return w
}

func (w *fixedWorker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *fixedWorker) run() {
	for range w.kick {
		time.Sleep(time.Millisecond)
	}
}

// Look-alikes that must stay silent.

// The waiter gives up after a timeout and re-checks.
type timedCond struct {
	signal chan struct{}
}

func newTimedCond() *timedCond { return &timedCond{signal: make(chan struct{})} }

func (c *timedCond) Signal() {
	select {
	case c.signal <- struct{}{}:
	default:
	}
}

func (c *timedCond) WaitWithTimeout(d time.Duration) bool {
	select {
	case <-c.signal:
		return true
	case <-time.After(d):
		return false
	}
}

// One send blocks: the wake-up is never dropped there.
type mixed struct {
	ch chan int
}

func newMixed() *mixed { return &mixed{ch: make(chan int)} }

func (m *mixed) TrySend(v int) bool {
	select {
	case m.ch <- v:
		return true
	default:
		return false
	}
}

func (m *mixed) Send(v int) { m.ch <- v }

func (m *mixed) Recv() int { return <-m.ch }
