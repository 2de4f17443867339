package darkpatterns

// Pattern: a method that holds a mutex calls another method that locks it
// again (not in the seed). Go mutexes are not reentrant: the goroutine
// waits for itself for ever.
// Fix: split the method into a locked wrapper and an unexported helper that
// expects the lock to be held.

import "sync"

type registry struct {
	mu    sync.RWMutex
	items map[string]int
}

func (r *registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.items)
}

func (r *registry) Add(k string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Len() > 1000 { // GD403
		r.items = map[string]int{}
	}
	r.items[k] = v
}

func (r *registry) lenLocked() int { return len(r.items) }

func (r *registry) AddFixed(k string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lenLocked() > 1000 {
		r.items = map[string]int{}
	}
	r.items[k] = v
}
