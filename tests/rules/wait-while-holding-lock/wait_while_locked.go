package wait_while_locked

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"sync"
	"time"
)

// A server whose Stop waits for the loop under the lock the loop takes
// before it signals (a shape seen in many Stop/Close deadlocks).
type Server struct {
	mu    sync.Mutex
	stop  chan struct{}
	done  chan struct{}
	conns int
}

func (s *Server) Start() {
	go s.loop()
}

func (s *Server) loop() {
	<-s.stop
	s.mu.Lock()
	s.conns = 0
	s.mu.Unlock()
	close(s.done)
}

func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.stop)
	<-s.done // want "this receive from s.done waits while holding s.mu \\(locked at line 32\\), but the goroutine that closes it .* must lock s.mu first"
}

// WaitGroup.Wait under the lock the workers take before Done.
type Pool struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	results []int
}

func (p *Pool) Run(jobs []int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, j := range jobs {
		p.wg.Add(1)
		go func(j int) {
			defer p.wg.Done()
			p.mu.Lock()
			p.results = append(p.results, j*j)
			p.mu.Unlock()
		}(j)
	}
	p.wg.Wait() // want "this Wait on p.wg waits while holding p.mu .* must lock p.mu first"
}

// A range over a channel whose producer locks before each send.
type Feed struct {
	mu    sync.Mutex
	items chan int
	seq   int
}

func (f *Feed) produce() {
	for i := 0; i < 10; i++ {
		f.mu.Lock()
		f.seq++
		f.items <- f.seq
		f.mu.Unlock()
	}
	close(f.items)
}

func (f *Feed) Drain() int {
	go f.produce()
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for v := range f.items { // want "this range over f.items waits while holding f.mu"
		n += v
	}
	return n
}

// ---- look-alikes that must stay silent ----

// The lock is released before waiting.
type Agent struct {
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
	n    int
}

func (a *Agent) Start() { go a.loop() }

func (a *Agent) loop() {
	<-a.stop
	a.mu.Lock()
	a.n = 0
	a.mu.Unlock()
	close(a.done)
}

func (a *Agent) Stop() {
	a.mu.Lock()
	a.n = -1
	a.mu.Unlock()
	close(a.stop)
	<-a.done
}

// The wait has a timeout: it does not block forever.
func (a *Agent) StopTimeout() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	close(a.stop)
	select {
	case <-a.done:
		return true
	case <-time.After(time.Second):
		return false
	}
}

// The goroutine takes another lock.
type Batcher struct {
	mu    sync.Mutex
	outMu sync.Mutex
	wg    sync.WaitGroup
	out   []int
}

func (b *Batcher) Flush(xs []int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, x := range xs {
		b.wg.Add(1)
		go func(x int) {
			defer b.wg.Done()
			b.outMu.Lock()
			b.out = append(b.out, x)
			b.outMu.Unlock()
		}(x)
	}
	b.wg.Wait()
}

// The goroutine locks only on some paths before signalling.
type Watcher struct {
	mu     sync.Mutex
	events chan int
	last   int
}

func (w *Watcher) watch(record bool) {
	if record {
		w.mu.Lock()
		w.last++
		w.mu.Unlock()
	}
	w.events <- 1
}

func (w *Watcher) Next(record bool) int {
	go w.watch(record)
	w.mu.Lock()
	defer w.mu.Unlock()
	return <-w.events
}

// The counterpart is a plain method, not a goroutine.
type Queue struct {
	mu    sync.Mutex
	ready chan int
}

func (q *Queue) fill() {
	q.mu.Lock()
	q.mu.Unlock()
	q.ready <- 1
}

func (q *Queue) Take() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return <-q.ready
}

// A goroutine waits under the lock for a value the spawner sends only
// after taking the same lock.
type Conn struct {
	mu      sync.Mutex
	replies chan string
	state   int
}

func NewConn() *Conn {
	return &Conn{replies: make(chan string)}
}

func (c *Conn) Request() {
	go func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.state = len(<-c.replies) // want "this receive from c.replies waits while holding c.mu"
	}()
	c.mu.Lock()
	c.state = -1
	c.mu.Unlock()
	c.replies <- "ok"
}

// A send under the lock on an unbuffered channel whose reader locks first.
type Bus struct {
	mu     sync.Mutex
	events chan int
	seen   int
}

func NewBus() *Bus {
	b := &Bus{}
	b.events = make(chan int)
	go b.consume()
	return b
}

func (b *Bus) consume() {
	for {
		b.mu.Lock()
		b.seen++
		b.mu.Unlock()
		<-b.events
	}
}

func (b *Bus) Publish(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events <- v // want "this send on b.events waits while holding b.mu"
}

// The same with a buffered channel: the send does not block on the reader.
type Log struct {
	mu    sync.Mutex
	lines chan string
	n     int
}

func NewLog() *Log {
	l := &Log{lines: make(chan string, 64)}
	go l.drain()
	return l
}

func (l *Log) drain() {
	for {
		l.mu.Lock()
		l.n++
		l.mu.Unlock()
		<-l.lines
	}
}

func (l *Log) Write(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines <- s
}
