package condwait

import "sync"

// The waiters sleep for good: Put forgot the Signal.
type queue struct {
	mu    sync.Mutex
	ready *sync.Cond
	items []string
}

func newQueue() *queue {
	q := &queue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *queue) put(s string) {
	q.mu.Lock()
	q.items = append(q.items, s)
	q.mu.Unlock()
}

func (q *queue) get() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait() // want "q.ready.Wait sleeps forever: nothing in the package calls Signal or Broadcast on queue.ready"
	}
	s := q.items[0]
	q.items = q.items[1:]
	return s
}

// A value cond with L set: the same bug.
type gate struct {
	mu   sync.Mutex
	cond sync.Cond
	open bool
}

func newGate() *gate {
	g := &gate{}
	g.cond.L = &g.mu
	return g
}

func (g *gate) pass() {
	g.cond.L.Lock()
	for !g.open {
		g.cond.Wait() // want "g.cond.Wait sleeps forever"
	}
	g.cond.L.Unlock()
}

// The fixed twin: put signals.
type fixedQueue struct {
	mu    sync.Mutex
	ready *sync.Cond
	items []string
}

func newFixedQueue() *fixedQueue {
	q := &fixedQueue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *fixedQueue) put(s string) {
	q.mu.Lock()
	q.items = append(q.items, s)
	q.mu.Unlock()
	q.ready.Signal()
}

func (q *fixedQueue) get() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait()
	}
	s := q.items[0]
	q.items = q.items[1:]
	return s
}

// Look-alikes: an exported field (other packages may signal), a cond
// handed to a helper that may signal it, a cond set from a parameter.
type Exported struct {
	mu   sync.Mutex
	Cond *sync.Cond
}

func (e *Exported) wait() { e.Cond.Wait() }

type handed struct {
	mu   sync.Mutex
	cond *sync.Cond
}

func newHanded() *handed {
	h := &handed{}
	h.cond = sync.NewCond(&h.mu)
	go wake(h.cond)
	return h
}

func wake(c *sync.Cond) { c.Broadcast() }

func (h *handed) wait() { h.cond.L.Lock(); h.cond.Wait(); h.cond.L.Unlock() }

type given struct{ cond *sync.Cond }

func newGiven(c *sync.Cond) *given { return &given{cond: c} }

func (g *given) wait() { g.cond.Wait() }
