package across_calls

// GD406 across calls (issue 14 item 2): the wait in a callee, the lock
// the counterpart needs taken in a callee, on some paths, or after each
// receive of a loop. Bad cases carry a want comment; their fixed twins
// and the look-alikes must stay silent.

import (
	"errors"
	"sync"
)

// sarama#1581: Consume holds the group lock while release waits for the
// heartbeat loop, whose error path locks the group in a callee.
type group struct {
	lock sync.Mutex
	errs chan error
}

type session struct {
	parent *group
	dying  chan struct{}
	dead   chan struct{}
}

func (g *group) Consume() error {
	g.lock.Lock()
	defer g.lock.Unlock()
	s := newSession(g)
	return s.release() // want "this call of s.release receives from s.dead \\(across_calls.go:[0-9]+\\) and waits while holding g.lock .* must lock s.parent.lock first on some paths"
}

func newSession(g *group) *session {
	s := &session{parent: g, dying: make(chan struct{}), dead: make(chan struct{})}
	go s.heartbeat()
	return s
}

func (s *session) release() error {
	close(s.dying)
	s.waitDead()
	return nil
}

// two calls deep
func (s *session) waitDead() { <-s.dead }

func (s *session) heartbeat() {
	defer close(s.dead)
	for {
		if err := beat(); err != nil {
			s.parent.report(err)
			return
		}
		select {
		case <-s.dying:
			return
		default:
		}
	}
}

func (g *group) report(err error) {
	g.lock.Lock()
	defer g.lock.Unlock()
	select {
	case g.errs <- err:
	default:
	}
}

func beat() error { return errors.New("down") }

// The fixed twin: the error path no longer takes the lock.
type group2 struct {
	lock sync.Mutex
	errs chan error
}

type session2 struct {
	parent *group2
	dying  chan struct{}
	dead   chan struct{}
}

func (g *group2) Consume() error {
	g.lock.Lock()
	defer g.lock.Unlock()
	s := &session2{parent: g, dying: make(chan struct{}), dead: make(chan struct{})}
	go s.heartbeat()
	return s.release()
}

func (s *session2) release() error {
	close(s.dying)
	<-s.dead
	return nil
}

func (s *session2) heartbeat() {
	defer close(s.dead)
	if err := beat(); err != nil {
		s.parent.report(err)
	}
}

func (g *group2) report(err error) {
	select {
	case g.errs <- err:
	default:
	}
}

// jaeger#2587: the handler reaches its WaitGroup (a local alias of the
// field) only through the lock that Close holds while it waits.
type state struct {
	wg sync.WaitGroup
	in chan int
}

type Consumer struct {
	mapLock sync.Mutex
	states  map[int]*state
}

func (c *Consumer) start(id int) {
	c.mapLock.Lock()
	st := &state{in: make(chan int)}
	st.wg.Add(1)
	c.states[id] = st
	c.mapLock.Unlock()
	go c.handle(id)
}

func (c *Consumer) handle(id int) {
	c.mapLock.Lock()
	wg := &c.states[id].wg
	in := c.states[id].in
	c.mapLock.Unlock()
	defer wg.Done()
	for range in {
	}
}

func (c *Consumer) Close() {
	c.mapLock.Lock()
	defer c.mapLock.Unlock()
	for _, st := range c.states {
		close(st.in)
		st.wg.Wait() // want "this Wait on st.wg waits while holding c.mapLock .* the goroutine that calls Done .* must lock c.mapLock first"
	}
}

// The fixed twin: Close collects the states under the lock and waits
// without it.
type Consumer2 struct {
	mapLock sync.Mutex
	states  map[int]*state
}

func (c *Consumer2) start(id int) {
	c.mapLock.Lock()
	st := &state{in: make(chan int)}
	st.wg.Add(1)
	c.states[id] = st
	c.mapLock.Unlock()
	go c.handle(id)
}

func (c *Consumer2) handle(id int) {
	c.mapLock.Lock()
	wg := &c.states[id].wg
	in := c.states[id].in
	c.mapLock.Unlock()
	defer wg.Done()
	for range in {
	}
}

func (c *Consumer2) Close() {
	c.mapLock.Lock()
	var all []*state
	for _, st := range c.states {
		close(st.in)
		all = append(all, st)
	}
	c.mapLock.Unlock()
	for _, st := range all {
		st.wg.Wait()
	}
}

// The ledger: the auditor locks after each receive, so a second
// Post, which sends while holding the lock, can catch it between its
// receive and its Lock.
type Ledger struct {
	mu    sync.Mutex
	audit chan string
	n     int
}

func NewLedger() *Ledger {
	l := &Ledger{audit: make(chan string)}
	go l.auditor()
	return l
}

func (l *Ledger) auditor() {
	for k := range l.audit {
		l.mu.Lock()
		l.n += len(k)
		l.mu.Unlock()
	}
}

func (l *Ledger) Post(k string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.audit <- k // want "this send on l.audit waits while holding l.mu .* the goroutine that receives from it .* must lock l.mu first on some paths \\(or in an earlier iteration\\)"
}

// The fixed ledger sends after unlocking.
type Ledger2 struct {
	mu    sync.Mutex
	audit chan string
	n     int
}

func NewLedger2() *Ledger2 {
	l := &Ledger2{audit: make(chan string)}
	go l.auditor()
	return l
}

func (l *Ledger2) auditor() {
	for k := range l.audit {
		l.mu.Lock()
		l.n += len(k)
		l.mu.Unlock()
	}
}

func (l *Ledger2) Post(k string) {
	l.mu.Lock()
	l.n++
	l.mu.Unlock()
	l.audit <- k
}

// A receiver that takes the lock in its select's default.
type Flusher struct {
	mu  sync.Mutex
	in  chan int
	buf []int
}

func NewFlusher() *Flusher {
	fl := &Flusher{in: make(chan int)}
	go fl.loop()
	return fl
}

func (fl *Flusher) loop() {
	for {
		select {
		case v := <-fl.in:
			fl.buf = append(fl.buf, v)
		default:
			fl.mu.Lock()
			fl.buf = fl.buf[:0]
			fl.mu.Unlock()
		}
	}
}

func (fl *Flusher) Put(v int) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	fl.in <- v // want "this send on fl.in waits while holding fl.mu .* must lock fl.mu first on some paths"
}

// A worker whose exit path locks through two helpers before its deferred
// Done: Stop waits under that lock.
type Worker struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	quit chan struct{}
	seen int
}

func (w *Worker) Start() {
	w.wg.Add(1)
	go w.run()
}

func (w *Worker) run() {
	defer w.wg.Done()
	<-w.quit
	w.flush()
}

func (w *Worker) flush() { w.save() }

func (w *Worker) save() {
	w.mu.Lock()
	w.seen = 0
	w.mu.Unlock()
}

func (w *Worker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.quit)
	w.wg.Wait() // want "this Wait on w.wg waits while holding w.mu .* must lock w.mu first: neither"
}

// ---- look-alikes ----

// The lock is released before the call that waits.
type Releaser struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (r *Releaser) Start() { go r.run() }

func (r *Releaser) run() {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
	close(r.done)
}

func (r *Releaser) wait() { <-r.done }

func (r *Releaser) Stop() {
	r.mu.Lock()
	r.n = -1
	r.mu.Unlock()
	r.wait()
}

// The counterpart only tries the lock: it never blocks on it.
type Trier struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (t *Trier) Start() { go t.run() }

func (t *Trier) run() {
	if t.mu.TryLock() {
		t.n++
		t.mu.Unlock()
	}
	close(t.done)
}

func (t *Trier) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	<-t.done
}

// Locking decided by a parameter: the goroutine's caller says no.
type Param struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (q *Param) Start() { go q.finish(false) }

func (q *Param) finish(lock bool) {
	if lock {
		q.mu.Lock()
		defer q.mu.Unlock()
	}
	q.n++
	close(q.done)
}

func (q *Param) Stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	<-q.done
}

// A lock handed to the callee by contract: waitLocked releases the
// caller's lock while it waits (as sync.Cond.Wait does), then retakes it.
type Handoff struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (h *Handoff) Start() { go h.run() }

func (h *Handoff) run() {
	h.mu.Lock()
	h.n++
	h.mu.Unlock()
	close(h.done)
}

// waitLocked must be called with h.mu held.
func (h *Handoff) waitLocked() {
	h.mu.Unlock()
	<-h.done
	h.mu.Lock()
}

func (h *Handoff) Stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.waitLocked()
}
