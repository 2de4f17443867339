// Upstream: https://github.com/juicedata/juicefs/pull/3782
// Project: juicedata/juicefs
// Fix: waiters always use WaitWithTimeout, so a missed signal only delays
// the re-check of the condition instead of blocking forever.
package fixed

import (
	"sync"
	"time"
)

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

func (c *Cond) WaitWithTimeout(d time.Duration) bool {
	c.L.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	defer c.L.Lock()
	select {
	case <-c.signal:
		return false
	case <-t.C:
		return true
	}
}

type reader struct {
	mu    sync.Mutex
	cond  *Cond
	ready bool
}

func (r *reader) waitReady() {
	r.mu.Lock()
	for !r.ready {
		r.cond.WaitWithTimeout(time.Second)
	}
	r.mu.Unlock()
}

func (r *reader) setReady() {
	r.mu.Lock()
	r.ready = true
	r.cond.Signal()
	r.mu.Unlock()
}
