package feeder

import (
	"errors"
	"sync"
	"time"
)

// 1. Only the goroutine a successful Start starts sends on exitCh; Wait
// blocks forever when Start failed (kata-containers#2087).
type container struct {
	id     string
	exitCh chan uint32
}

type service struct {
	mu         sync.Mutex
	containers map[string]*container
	start      func(*container) error
	waitProc   func(*container) uint32
}

func (s *service) Create(id string) {
	s.mu.Lock()
	s.containers[id] = &container{id: id, exitCh: make(chan uint32, 1)}
	s.mu.Unlock()
}

func (s *service) Start(id string) error {
	c := s.get(id)
	if err := s.start(c); err != nil {
		return err
	}
	go s.wait(c)
	return nil
}

func (s *service) get(id string) *container {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.containers[id]
}

func (s *service) wait(c *container) {
	c.exitCh <- s.waitProc(c)
}

func (s *service) Wait(id string) uint32 {
	c := s.get(id)
	ret := <-c.exitCh // want "the receive from c.exitCh blocks forever when Start returns early on `err != nil`: only a goroutine it starts at line 34 sends on container.exitCh"
	c.exitCh <- ret
	return ret
}

// 2. mainLoop, which closes errors, runs only with auto-commit on; Close
// ranges over errors regardless (sarama#2772).
type Config struct{ AutoCommit bool }

type manager struct {
	conf   *Config
	mu     sync.Mutex
	parts  []*part
	ticker *time.Ticker
}

type part struct {
	errors chan error
}

func NewManager(conf *Config) *manager {
	m := &manager{conf: conf}
	if conf.AutoCommit {
		m.ticker = time.NewTicker(time.Second)
		go m.mainLoop()
	}
	return m
}

func (m *manager) Part() *part {
	p := &part{errors: make(chan error, 16)}
	m.mu.Lock()
	m.parts = append(m.parts, p)
	m.mu.Unlock()
	return p
}

func (m *manager) mainLoop() {
	for range m.ticker.C {
		m.release()
	}
}

func (m *manager) release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.parts {
		close(p.errors)
	}
	m.parts = nil
}

func (p *part) Close() []error {
	var errs []error
	for err := range p.errors { // want "the range over p.errors blocks forever when NewManager runs with `conf.AutoCommit` false: only a goroutine it starts at line 74 closes part.errors"
		errs = append(errs, err)
	}
	return errs
}

// Fixed twins and look-alikes that must stay silent.

// 1 fixed: a failed start still delivers an exit status.
type box struct {
	exitCh chan uint32
}

type boxService struct {
	boxes map[string]*box
	start func(*box) error
}

func (s *boxService) Start(id string) error {
	b := s.boxes[id]
	if err := s.start(b); err != nil {
		b.exitCh <- 255
		return err
	}
	go s.wait(b)
	return nil
}

func (s *boxService) wait(b *box) { b.exitCh <- 0 }

func (s *boxService) Wait(id string) uint32 { return <-s.boxes[id].exitCh }

// A constructor that fails before the goroutine: the object it made is
// never handed out, nobody can wait on it.
type conn struct {
	done chan struct{}
}

func dial() error { return nil }

func Open() (*conn, error) {
	c := &conn{done: make(chan struct{})}
	if err := dial(); err != nil {
		return nil, err
	}
	go c.readLoop()
	return c, nil
}

func (c *conn) readLoop() { close(c.done) }

func (c *conn) Close() { <-c.done }

// The wait checks the same flag.
type pool struct {
	enabled bool
	drained chan struct{}
}

func NewPool(enabled bool) *pool {
	p := &pool{enabled: enabled, drained: make(chan struct{})}
	if p.enabled {
		go p.drain()
	}
	return p
}

func (p *pool) drain() { close(p.drained) }

func (p *pool) Close() {
	if !p.enabled {
		return
	}
	<-p.drained
}

// The wait checks a field Start sets once past the error check.
type runner struct {
	started bool
	done    chan struct{}
	prepare func() error
}

func (r *runner) Start() error {
	if err := r.prepare(); err != nil {
		return err
	}
	r.started = true
	go r.run()
	return nil
}

func (r *runner) run() { close(r.done) }

func (r *runner) Stop() {
	if r.started {
		<-r.done
	}
}

// The feeder is also called directly, not only as a goroutine.
type job struct {
	result chan int
	check  func() error
}

func (j *job) Run() error {
	if err := j.check(); err != nil {
		j.finish()
		return err
	}
	go j.finish()
	return nil
}

func (j *job) finish() { j.result <- 1 }

func (j *job) Result() int { return <-j.result }

// Started unconditionally.
type ticker struct {
	out chan int
}

func NewTicker() *ticker {
	t := &ticker{out: make(chan int)}
	go t.loop()
	return t
}

func (t *ticker) loop() { t.out <- 1 }

func (t *ticker) Next() int { return <-t.out }

// Already running: the early return is not a failure.
type server struct {
	running bool
	stopped chan struct{}
}

func (s *server) Start() {
	if s.running {
		return
	}
	s.running = true
	go s.serve()
}

func (s *server) serve() { close(s.stopped) }

func (s *server) Wait() { <-s.stopped }

var _ = errors.New
