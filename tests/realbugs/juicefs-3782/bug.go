// Upstream: https://github.com/juicedata/juicefs/pull/3782
// Project: juicedata/juicefs
// Bug: juicefs' channel-based Cond drops a Signal when nobody is receiving
// (non-blocking send). A waiter that saw ready==false and unlocked, but has
// not yet reached `<-c.signal`, misses the signal and blocks forever.
// Kind: deadlock
// Want: GD114
package juicefs3782

import "sync"

type Cond struct {
	L      sync.Locker
	signal chan bool
}

func NewCond(lock sync.Locker) *Cond {
	return &Cond{L: lock, signal: make(chan bool)}
}

func (c *Cond) Signal() {
	select {
	case c.signal <- true:
	default:
	}
}

func (c *Cond) Wait() {
	c.L.Unlock()
	<-c.signal // BUG: a Signal between Unlock and this receive is lost
	c.L.Lock()
}

type reader struct {
	mu    sync.Mutex
	cond  *Cond
	ready bool
}

func (r *reader) waitReady() {
	r.mu.Lock()
	for !r.ready {
		r.cond.Wait()
	}
	r.mu.Unlock()
}

func (r *reader) setReady() {
	r.mu.Lock()
	r.ready = true
	r.cond.Signal()
	r.mu.Unlock()
}
