package across_calls

// Look-alikes found on real code (tests/ecosystem): each must stay silent
// at default confidence.

import (
	"sync"
	"sync/atomic"
)

// A disk-I/O semaphore (nats-server's dios): a holder acquires the token
// in a helper after the lock is released, and gives it back. Waiting for
// a token under the lock does not wait for anyone who needs the lock.
type sema struct{ ch chan struct{} }

func (d *sema) acquire() { <-d.ch }
func (d *sema) release() { d.ch <- struct{}{} }

type Store struct {
	mu   sync.Mutex
	dios *sema
	dir  string
}

func (s *Store) Start() { go s.cleanup() }

func (s *Store) cleanup() {
	s.mu.Lock()
	dir := s.dir
	s.mu.Unlock()
	s.dios.acquire()
	_ = dir
	s.dios.release()
}

func (s *Store) Write() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dios.acquire()
	s.dios.release()
}

// A drain guarded by len(ch) (influxdb's WAL sync): it never waits.
type WAL struct {
	mu      sync.Mutex
	waiters chan chan error
	closing chan struct{}
}

func (l *WAL) Start() { go l.loop() }

func (l *WAL) loop() {
	for {
		select {
		case <-l.closing:
			return
		default:
		}
		l.mu.Lock()
		l.sync()
		l.mu.Unlock()
	}
}

func (l *WAL) sync() {
	for len(l.waiters) > 0 {
		c := <-l.waiters
		c <- nil
	}
}

func (l *WAL) Write() {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := make(chan error, 1)
	select {
	case l.waiters <- c:
	default:
	}
}

// A receive guarded by a flag the sender sets under the same lock before
// it fills the buffer (net/http's wantConn): at low confidence only.
type wantConn struct {
	mu     sync.Mutex
	done   bool
	result chan int
}

func dialFor(w *wantConn) {
	w.peek()
	w.tryDeliver(1)
}

func (w *wantConn) peek() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done
}

func (w *wantConn) tryDeliver(v int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return false
	}
	w.done = true
	w.result <- v
	close(w.result)
	return true
}

func (w *wantConn) start() { go dialFor(w) }

func (w *wantConn) cancel() {
	w.mu.Lock()
	if w.done {
		<-w.result // want "this receive from w.result waits while holding w.mu .*\\[low confidence\\]"
	} else {
		close(w.result)
	}
	w.mu.Unlock()
}

// A loop that locks each element it pops: an earlier iteration's lock is
// another element's, so the delivery below needs no lock first.
type Queue struct {
	mu    sync.Mutex
	items []*Item
}

type Item struct {
	mu  sync.Mutex
	res chan int
	n   int
}

func (q *Queue) deliverAll() {
	for _, it := range q.items {
		it.mu.Lock()
		it.n++
		it.mu.Unlock()
	}
	for i := range q.items {
		it := q.items[i]
		it.res <- i
		it.mu.Lock()
		it.n--
		it.mu.Unlock()
	}
}

func (q *Queue) Start() { go q.deliverAll() }

func (it *Item) Wait() int {
	it.mu.Lock()
	defer it.mu.Unlock()
	return <-it.res
}

// A done channel handed to code we do not follow: someone else may close
// it; low confidence only.
type Conn struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func register(ch chan struct{}) {}

func (c *Conn) Start() {
	register(c.done)
	go c.run()
}

func (c *Conn) run() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	close(c.done)
}

func (c *Conn) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	<-c.done // want "this receive from c.done waits .*\\[low confidence\\]"
}

// A counted server whose goroutine is started only by its tests (see
// precision_test.go); the count is taken after the lock, so Close waits
// only for goroutines past it. Low confidence.
type Server struct {
	mu     sync.Mutex
	closed bool
	count  atomic.Int64
	idle   chan struct{}
}

func (s *Server) Serve() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	s.count.Add(1)
	defer s.finish()
}

func (s *Server) finish() {
	if s.count.Add(-1) == 0 {
		close(s.idle)
	}
}

func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.count.Load() == 0 {
		return
	}
	<-s.idle // want "this receive from s.idle waits .*\\[low confidence\\]"
}
