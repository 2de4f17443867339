package condnever

import (
	"sync"
	"sync/atomic"
)

// Bad: nothing ever sets started; Start only signals. Every Wait loops
// back into Wait.
type server struct {
	mu      sync.Mutex
	cond    *sync.Cond
	started bool
}

func newServer() *server {
	s := &server{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *server) Start() {
	s.mu.Lock()
	s.cond.Broadcast() // forgets s.started = true
	s.mu.Unlock()
}

func (s *server) WaitStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !s.started {
		s.cond.Wait() // want "s.cond.Wait sleeps forever: nothing in the package ever sets server.started, so the condition `!s.started` stays true"
	}
}

// Bad: the queue is never filled (Put appends to another field), so
// len(items) stays 0.
type queue struct {
	mu      sync.Mutex
	ready   *sync.Cond
	items   []int
	pending []int
	closed  atomic.Bool
}

func newQueue() *queue {
	q := &queue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *queue) Put(v int) {
	q.mu.Lock()
	q.pending = append(q.pending, v)
	q.mu.Unlock()
	q.ready.Signal()
}

func (q *queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed.Load() {
		q.ready.Wait() // want "q.ready.Wait sleeps forever: nothing in the package ever sets queue.items"
	}
	return len(q.pending)
}

// Bad: an if rather than a loop, and a nil check.
type lazy struct {
	mu   sync.Mutex
	cond *sync.Cond
	val  *int
}

func newLazy() *lazy {
	l := &lazy{}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *lazy) Kick() { l.cond.Broadcast() }

func (l *lazy) Get() *int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.val == nil {
		l.cond.Wait() // want "l.cond.Wait sleeps forever: nothing in the package ever sets lazy.val"
	}
	return l.val
}

// --- Silent look-alikes. ---

// The fixed twin: Start sets started.
type fixedServer struct {
	mu      sync.Mutex
	cond    *sync.Cond
	started bool
}

func newFixedServer() *fixedServer {
	s := &fixedServer{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *fixedServer) Start() {
	s.mu.Lock()
	s.started = true
	s.cond.Broadcast()
	s.mu.Unlock()
}

func (s *fixedServer) WaitStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !s.started {
		s.cond.Wait()
	}
}

// Set only in the constructor's literal: the condition may be false from
// the start, and the Wait never reached.
type preset struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

func newPreset() *preset {
	p := &preset{ready: true}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *preset) Kick() { p.cond.Signal() }

func (p *preset) Wait() {
	p.mu.Lock()
	for !p.ready {
		p.cond.Wait()
	}
	p.mu.Unlock()
}

// Changed through an atomic Store, a pointer, or a helper taking the field.
type flags struct {
	mu    sync.Mutex
	cond  *sync.Cond
	done  atomic.Bool
	count int
	list  []int
}

func newFlags() *flags {
	f := &flags{}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *flags) Finish() {
	f.done.Store(true)
	bump(&f.count)
	f.list = grow(f.list)
	f.cond.Broadcast()
}

func bump(n *int)            { *n++ }
func grow(l []int) []int     { return append(l, 1) }
func (f *flags) waitDone()   { f.mu.Lock(); for !f.done.Load() { f.cond.Wait() }; f.mu.Unlock() }
func (f *flags) waitCount()  { f.mu.Lock(); for f.count == 0 { f.cond.Wait() }; f.mu.Unlock() }
func (f *flags) waitList()   { f.mu.Lock(); for len(f.list) == 0 { f.cond.Wait() }; f.mu.Unlock() }

// A condition that does not hold with the zero values, or one we cannot
// evaluate: silent.
type other struct {
	mu     sync.Mutex
	cond   *sync.Cond
	closed bool
	n      int
}

func newOther() *other {
	o := &other{}
	o.cond = sync.NewCond(&o.mu)
	return o
}

func (o *other) Kick() { o.cond.Broadcast() }

func (o *other) waitClosed() {
	o.mu.Lock()
	for o.closed {
		o.cond.Wait()
	}
	o.mu.Unlock()
}

func (o *other) waitN(k int) {
	o.mu.Lock()
	for o.n < k {
		o.cond.Wait()
	}
	o.mu.Unlock()
}

// An exported field may be set by other packages.
type Public struct {
	mu    sync.Mutex
	cond  *sync.Cond
	Ready bool
}

func NewPublic() *Public {
	p := &Public{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *Public) Kick() { p.cond.Broadcast() }

func (p *Public) Wait() {
	p.mu.Lock()
	for !p.Ready {
		p.cond.Wait()
	}
	p.mu.Unlock()
}

// Promoted through embedding: set as outer.up.
type inner struct {
	mu   sync.Mutex
	cond *sync.Cond
	up   bool
}

type outer struct{ inner }

func newOuter() *outer {
	o := &outer{}
	o.cond = sync.NewCond(&o.mu)
	return o
}

func (o *outer) Up() {
	o.mu.Lock()
	o.up = true
	o.cond.Broadcast()
	o.mu.Unlock()
}

func (i *inner) waitUp() {
	i.mu.Lock()
	for !i.up {
		i.cond.Wait()
	}
	i.mu.Unlock()
}
