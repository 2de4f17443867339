package unsynchronized_write

// Races across methods (issue 15, first slice, low confidence): a field
// of an object whose goroutine was started on it (`go s.loop()`, or a go
// literal in one of its methods) is accessed by the goroutine and written
// (or read, when the goroutine writes) by exported API that shows it
// expects concurrent callers, with no lock held at both places.

import (
	"sync"
	"time"
)

type Poller struct {
	mu       sync.Mutex
	interval time.Duration
	seen     map[string]bool
	stop     chan struct{}
}

func (p *Poller) Start() {
	go p.loop()
}

func (p *Poller) loop() {
	for {
		select {
		case <-p.stop:
			return
		case <-time.After(p.interval):
			p.mu.Lock()
			p.seen["tick"] = true
			p.mu.Unlock()
		}
	}
}

// The method locks for seen but writes interval outside the lock.
func (p *Poller) SetInterval(d time.Duration) {
	p.interval = d // want "p.interval is written here while a goroutine of the package reads it .*an exported method that locks elsewhere in its body.*\\[low confidence\\]"
	p.mu.Lock()
	p.seen = map[string]bool{}
	p.mu.Unlock()
}

// The fixed twin: the goroutine reads the interval under the lock too.
type Poller2 struct {
	mu       sync.Mutex
	interval time.Duration
	stop     chan struct{}
}

func (p *Poller2) Start() { go p.loop() }

func (p *Poller2) loop() {
	for {
		p.mu.Lock()
		d := p.interval
		p.mu.Unlock()
		select {
		case <-p.stop:
			return
		case <-time.After(d):
		}
	}
}

func (p *Poller2) SetInterval(d time.Duration) {
	p.mu.Lock()
	p.interval = d
	p.mu.Unlock()
}

// The goroutine writes under the lock, an exported method reads without
// it (coder/websocket#436's shape).
type WSConn struct {
	closeMu  sync.Mutex
	closeErr error
	timeout  chan struct{}
}

func (c *WSConn) Open() { go c.watch() }

func (c *WSConn) watch() {
	<-c.timeout
	c.closeMu.Lock()
	c.closeErr = errTimeout
	c.closeMu.Unlock()
}

func (c *WSConn) Err() error {
	return c.closeErr // want "c.closeErr is read here while a goroutine of the package writes it .*the goroutine holds a lock at its access, this exported method does not"
}

var errTimeout = error(nil)

// Look-alikes that stay silent: a builder setter on a type that shows no
// concurrency in the method (set before Start, by protocol); a helper
// called with the lock held (*Locked); an exported method that waits for
// the goroutine before it writes.
type Loader struct {
	interval time.Duration
	done     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	n        int
}

func (l *Loader) WithInterval(d time.Duration) *Loader {
	l.interval = d
	return l
}

func (l *Loader) Start() {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			select {
			case <-l.done:
				return
			case <-time.After(l.interval):
				l.mu.Lock()
				l.bumpLocked()
				l.mu.Unlock()
			}
		}
	}()
}

func (l *Loader) bumpLocked() { l.n++ }

func (l *Loader) Reset() {
	l.mu.Lock()
	l.resetLocked()
	l.mu.Unlock()
}

func (l *Loader) resetLocked() { l.n = 0 }

func (l *Loader) Stop() {
	close(l.done)
	l.wg.Wait()
	l.mu.Lock()
	l.interval = 0
	l.mu.Unlock()
}

// A constructor starts the read loop; an exported method swaps the handler
// it calls while it runs: every method called on what NewRouter returns
// runs while the loop does (medium confidence).
type Router struct {
	conn    interface{ Read([]byte) (int, error) }
	handler func([]byte)
}

func NewRouter(conn interface{ Read([]byte) (int, error) }) *Router {
	r := &Router{conn: conn, handler: func([]byte) {}}
	go r.readLoop()
	return r
}

func (r *Router) readLoop() {
	buf := make([]byte, 1)
	for {
		if _, err := r.conn.Read(buf); err != nil {
			return
		}
		r.handler(buf)
	}
}

func (r *Router) Handle(h func([]byte)) {
	r.handler = h // want "r.handler is written here while a goroutine of the package reads it \\(across_methods.go:[0-9]+\\), with no lock held at both places: NewRouter starts the goroutine as it makes the Router, so an exported method runs while it does"
}

// Fixed: a mutex guards the handler on both sides.
type LockedRouter struct {
	mu      sync.Mutex
	conn    interface{ Read([]byte) (int, error) }
	handler func([]byte)
}

func NewLockedRouter(conn interface{ Read([]byte) (int, error) }) *LockedRouter {
	r := &LockedRouter{conn: conn, handler: func([]byte) {}}
	go r.readLoop()
	return r
}

func (r *LockedRouter) readLoop() {
	buf := make([]byte, 1)
	for {
		if _, err := r.conn.Read(buf); err != nil {
			return
		}
		r.mu.Lock()
		h := r.handler
		r.mu.Unlock()
		h(buf)
	}
}

func (r *LockedRouter) Handle(h func([]byte)) {
	r.mu.Lock()
	r.handler = h
	r.mu.Unlock()
}

// Look-alike: a method with a value receiver changes a copy, not the
// object the constructor's goroutine reads.
type Settings struct {
	verbose bool
	stop    chan struct{}
}

func NewSettings() *Settings {
	s := &Settings{stop: make(chan struct{})}
	go s.watch()
	return s
}

func (s *Settings) watch() {
	for {
		select {
		case <-s.stop:
			return
		case <-time.After(time.Second):
			if s.verbose {
				println("tick")
			}
		}
	}
}

func (s Settings) WithVerbose(v bool) Settings {
	s.verbose = v
	return s
}

// A method handed as a value to a helper that the go statement runs and
// that calls it (`go every(d, s.sample)`) runs in that goroutine.
type Sampler struct {
	mu    sync.Mutex
	rate  int
	count int
}

func every(d time.Duration, f func()) {
	for {
		time.Sleep(d)
		f()
	}
}

func (s *Sampler) sample() {
	if s.rate > 0 {
		println(s.rate)
	}
}

func (s *Sampler) Start() {
	go every(time.Second, s.sample)
}

func (s *Sampler) SetRate(r int) {
	s.rate = r // want "s.rate is written here while a goroutine of the package reads it \\(across_methods.go:[0-9]+\\), with no lock held at both places: an exported method that locks elsewhere in its body"
	s.mu.Lock()
	s.count++
	s.mu.Unlock()
}

// Look-alike: the method writes, then sends on a channel the goroutine
// receives from before it reads: the send orders the write before the read.
type Reloader struct {
	mu    sync.Mutex
	path  string
	kick  chan struct{}
	count int
}

func (r *Reloader) Start() {
	go r.loop()
}

func (r *Reloader) loop() {
	for range r.kick {
		println(r.path)
	}
}

func (r *Reloader) Reload(path string) {
	r.path = path
	r.kick <- struct{}{}
	r.mu.Lock()
	r.count++
	r.mu.Unlock()
}
