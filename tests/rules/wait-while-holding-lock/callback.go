package wait_while_locked

// The counterpart is a func literal handed to code godark does not follow:
// a hook that code calls later from its own goroutine (medium), a timer
// (time.AfterFunc runs it in a new goroutine: high), or a call that may
// run it at once in the caller's goroutine (low).

import (
	"sync"
	"time"

	"example.com/events"
)

type cbServer struct {
	mu    sync.Mutex
	ready chan struct{}
	n     int
}

func newCbServer() *cbServer { return &cbServer{ready: make(chan struct{})} }

func (s *cbServer) Init(bus *events.Bus) {
	bus.Subscribe(func() {
		s.mu.Lock()
		s.n++
		s.mu.Unlock()
		close(s.ready)
	})
}

func (s *cbServer) Wait() {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-s.ready // want "the callback handed to bus.Subscribe that closes it .* must lock s.mu first.*forever$"
}

// The fixed twin: the lock is released before the wait.
func (s *cbServer) WaitFixed() int {
	<-s.ready
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

type cbTimer struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func newCbTimer() *cbTimer {
	t := &cbTimer{done: make(chan struct{})}
	time.AfterFunc(time.Second, func() {
		t.mu.Lock()
		t.n++
		t.mu.Unlock()
		close(t.done)
	})
	return t
}

func (t *cbTimer) Join() {
	t.mu.Lock()
	defer t.mu.Unlock()
	<-t.done // want "the callback handed to time.AfterFunc that closes it"
}

// A look-alike of the timer: sync.Once.Do runs the literal at once, in
// the caller's goroutine, which is not the waiter's: low.
type cbOnce struct {
	mu   sync.Mutex
	once sync.Once
	done chan struct{}
}

func newCbOnce() *cbOnce { return &cbOnce{done: make(chan struct{})} }

func (o *cbOnce) Fire() {
	o.once.Do(func() {
		o.mu.Lock()
		close(o.done)
		o.mu.Unlock()
	})
}

func (o *cbOnce) Join() {
	o.mu.Lock()
	defer o.mu.Unlock()
	<-o.done // want "the callback handed to o.once.Do.*\\[low confidence\\]"
}
