package condstate

import (
	"sync"
	"sync/atomic"
)

// Bad: Close sets the flag the waiters check without q.mu, then wakes them.
// A waiter that has seen closed == false but not yet reached Wait sleeps
// through the Broadcast.
type queue struct {
	mu     sync.Mutex
	ready  *sync.Cond
	items  []string
	closed bool
}

func newQueue() *queue {
	q := &queue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *queue) Close() {
	q.closed = true
	q.ready.Broadcast()
}

func (q *queue) Put(s string) {
	q.mu.Lock()
	q.items = append(q.items, s)
	q.mu.Unlock()
	q.ready.Signal()
}

func (q *queue) Get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.ready.Wait() // want "q.ready.Wait can sleep forever: Close changes q.closed, which the waiter's condition reads, without holding q.mu, then calls Broadcast \\(cond_state_changed_unlocked.go:26\\)"
	}
	if len(q.items) == 0 {
		return "", true
	}
	s := q.items[0]
	q.items = q.items[1:]
	return s, false
}

// Bad (livekit/livekit#3625): an atomic flag is no better, the waiter can
// still be between its check and its Wait.
type buffer struct {
	sync.RWMutex
	readCond  *sync.Cond
	closeOnce sync.Once
	closed    atomic.Bool
	bucket    [][]byte
}

func newBuffer() *buffer {
	b := &buffer{}
	b.readCond = sync.NewCond(&b.RWMutex)
	return b
}

func (b *buffer) Read() []byte {
	b.Lock()
	defer b.Unlock()
	for {
		if b.closed.Load() {
			return nil
		}
		if len(b.bucket) > 0 {
			p := b.bucket[0]
			b.bucket = b.bucket[1:]
			return p
		}
		b.readCond.Wait() // want "b.readCond.Wait can sleep forever: a func literal in Close changes b.closed, .* without holding b.RWMutex"
	}
}

func (b *buffer) Close() {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		b.readCond.Broadcast()
	})
}

// Bad: the slice the condition measures is appended to outside the lock.
type stack struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func newStack() *stack {
	s := &stack{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *stack) Push(v int) {
	s.items = append(s.items, v)
	s.cond.Signal()
}

func (s *stack) Pop() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.items) == 0 {
		s.cond.Wait() // want "s.cond.Wait can sleep forever: Push changes s.items"
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v
}

// Bad: the same lock under two names (go-zero's pool keeps `lock` and
// `cond: sync.NewCond(lock)`); the writer holds neither.
type pool struct {
	lock  *sync.Mutex
	cond  *sync.Cond
	avail int
}

func newPool() *pool {
	mu := new(sync.Mutex)
	return &pool{lock: mu, cond: sync.NewCond(mu)}
}

func (p *pool) Release() {
	p.avail++
	p.cond.Signal()
}

func (p *pool) Acquire() {
	p.lock.Lock()
	defer p.lock.Unlock()
	for p.avail == 0 {
		p.cond.Wait() // want "p.cond.Wait can sleep forever: Release changes p.avail, which the waiter.s condition reads, without holding p.lock"
	}
	p.avail--
}

// Bad (ochinchina/supervisord#223): a Wait that re-checks nothing, while
// the callback signals without cond.L: a Signal before the Wait is lost.
func start(run func(done func())) {
	cond := sync.NewCond(&sync.Mutex{})
	cond.L.Lock()
	defer cond.L.Unlock()
	run(func() {
		cond.Signal()
	})
	cond.Wait() // want "cond.Wait can sleep forever: it re-checks no condition, and the Signal in a func literal in start \\(cond_state_changed_unlocked.go:[0-9]+\\) is made without holding cond.L"
}

// Bad: a local flag set by the goroutine without cond.L.
func startFlag() {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	started := false
	go func() {
		started = true
		cond.Signal()
	}()
	mu.Lock()
	for !started {
		cond.Wait() // want "cond.Wait can sleep forever: a func literal in startFlag changes started"
	}
	mu.Unlock()
}

// --- Look-alikes that must stay silent. ---

// The fixed twins: the state changes under the lock; the wake-up may come
// after Unlock.
func (q *fixedQueue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.ready.Broadcast()
}

type fixedQueue struct {
	mu     sync.Mutex
	ready  *sync.Cond
	items  []string
	closed bool
}

func newFixedQueue() *fixedQueue {
	q := &fixedQueue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *fixedQueue) Get() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.ready.Wait()
	}
	return q.closed
}

type fixedBuffer struct {
	sync.RWMutex
	readCond  *sync.Cond
	closeOnce sync.Once
	closed    atomic.Bool
}

func newFixedBuffer() *fixedBuffer {
	b := &fixedBuffer{}
	b.readCond = sync.NewCond(&b.RWMutex)
	return b
}

func (b *fixedBuffer) Read() {
	b.Lock()
	defer b.Unlock()
	for !b.closed.Load() {
		b.readCond.Wait()
	}
}

func (b *fixedBuffer) Close() {
	b.closeOnce.Do(func() {
		b.Lock()
		b.closed.Store(true)
		b.readCond.Broadcast()
		b.Unlock()
	})
}

// Fixed supervisord: a predicate, set under cond.L.
func fixedStart(run func(done func())) {
	cond := sync.NewCond(&sync.Mutex{})
	started := false
	cond.L.Lock()
	defer cond.L.Unlock()
	run(func() {
		cond.L.Lock()
		started = true
		cond.Signal()
		cond.L.Unlock()
	})
	for !started {
		cond.Wait()
	}
}

// The lock taken by a helper that also makes the cond (net/http's
// connReader): the lock dataflow does not follow it, the helper's body does.
type reader struct {
	mu     sync.Mutex
	cond   *sync.Cond
	inRead bool
}

func (r *reader) lock() {
	r.mu.Lock()
	if r.cond == nil {
		r.cond = sync.NewCond(&r.mu)
	}
}

func (r *reader) unlock() { r.mu.Unlock() }

func (r *reader) background() {
	r.lock()
	r.inRead = false
	r.unlock()
	r.cond.Broadcast()
}

func (r *reader) abort() {
	r.lock()
	defer r.unlock()
	for r.inRead {
		r.cond.Wait()
	}
}

// A write in a method its only caller runs with the lock held.
type gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) setOpen() {
	g.open = true
	g.cond.Broadcast()
}

func (g *gate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.setOpen()
}

func (g *gate) closeLocked() {
	g.open = false
	g.cond.Broadcast()
}

func (g *gate) Pass() {
	g.mu.Lock()
	for !g.open {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// An empty critical section between the write and the wake-up is enough:
// a waiter is either before its check or inside Wait.
type flag struct {
	mu   sync.Mutex
	cond *sync.Cond
	set  atomic.Bool
}

func newFlag() *flag {
	f := &flag{}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *flag) Set() {
	f.set.Store(true)
	f.mu.Lock()
	f.mu.Unlock()
	f.cond.Broadcast()
}

func (f *flag) Wait() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for !f.set.Load() {
		f.cond.Wait()
	}
}

// An early return that unlocks does not end the lock on the other path
// (docker's plugin activation).
type plugin struct {
	wait      *sync.Cond
	manifest  *int
	activeErr error
}

func newPlugin() *plugin { return &plugin{wait: sync.NewCond(&sync.Mutex{})} }

func (p *plugin) activate() error {
	p.wait.L.Lock()
	if p.manifest != nil {
		p.wait.L.Unlock()
		return p.activeErr
	}
	p.activeErr = p.load()
	p.wait.L.Unlock()
	p.wait.Broadcast()
	return p.activeErr
}

func (p *plugin) load() error { return nil }

func (p *plugin) waitActive() error {
	p.wait.L.Lock()
	for p.manifest == nil && p.activeErr == nil {
		p.wait.Wait()
	}
	p.wait.L.Unlock()
	return p.activeErr
}

// A lock we cannot see (a custom Locker): which lock is L is unknown.
type spin struct{ held int32 }

func (s *spin) Lock()   {}
func (s *spin) Unlock() {}

type workers struct {
	lock sync.Locker
	cond *sync.Cond
	idle int
}

func newWorkers() *workers {
	l := &spin{}
	return &workers{lock: l, cond: sync.NewCond(l)}
}

func (w *workers) Put() {
	w.idle++
	w.cond.Signal()
}

func (w *workers) Get() {
	w.lock.Lock()
	for w.idle == 0 {
		w.cond.Wait()
	}
	w.idle--
	w.lock.Unlock()
}

// A write of a field the condition does not read.
type counter struct {
	mu    sync.Mutex
	cond  *sync.Cond
	n     int
	stats int
}

func newCounter() *counter {
	c := &counter{}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *counter) Inc() {
	c.stats++
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	c.cond.Broadcast()
}

func (c *counter) WaitFor(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.n < n {
		c.cond.Wait()
	}
}

// A Wait with a goto back to its check is a loop.
func (c *counter) waitGoto(n int) {
	c.mu.Lock()
retry:
	if c.n >= n {
		c.mu.Unlock()
		return
	}
	c.cond.Wait()
	goto retry
}

// Channels instead of a cond: not this rule's business.
type chanGate struct {
	done chan struct{}
	open bool
}

func (g *chanGate) Open() {
	g.open = true
	close(g.done)
}

func (g *chanGate) Pass() {
	if !g.open {
		<-g.done
	}
}

// Bad (go-ethereum's downloader test network): the writer holds a lock,
// but not the cond's L.
type network struct {
	lock  sync.RWMutex
	cond  *sync.Cond
	chain []int
}

func newNetwork() *network {
	var l sync.RWMutex
	return &network{cond: sync.NewCond(&l)}
}

func (n *network) Progress(b int) {
	n.lock.Lock()
	defer n.lock.Unlock()
	n.chain = append(n.chain, b)
	n.cond.Broadcast()
}

func (n *network) headers(from int) int {
	n.cond.L.Lock()
	for from >= len(n.chain) {
		n.cond.Wait() // want "n.cond.Wait can sleep forever: Progress changes n.chain, which the waiter's condition reads, without holding l,"
	}
	n.cond.L.Unlock()
	return n.chain[from]
}

// Silent: a Wait with no condition whose Signal comes from elsewhere, not
// from a callback the waiter handed out (the sync package's own test).
func signalLater() {
	var m sync.Mutex
	c := sync.NewCond(&m)
	running := make(chan bool)
	go func() {
		m.Lock()
		running <- true
		c.Wait()
		m.Unlock()
	}()
	<-running
	m.Lock()
	c.Signal()
	m.Unlock()
	c.Signal()
}

// Silent: the unlocked write is on a path that returns before the wake-up.
type door struct {
	mu   sync.Mutex
	cond *sync.Cond
	shut bool
}

func newDoor() *door {
	d := &door{}
	d.cond = sync.NewCond(&d.mu)
	return d
}

func (d *door) Shut(fast bool) {
	d.mu.Lock()
	if fast {
		d.mu.Unlock()
		d.shut = true
		return
	}
	d.shut = true
	d.mu.Unlock()
	d.cond.Broadcast()
}

func (d *door) WaitShut() {
	d.mu.Lock()
	for !d.shut {
		d.cond.Wait()
	}
	d.mu.Unlock()
}
