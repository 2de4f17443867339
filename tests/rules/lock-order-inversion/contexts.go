package lock_order

// Goroutine contexts decide the confidence: medium when the two orders can
// run at the same time, low when one goroutine takes both in turn or
// nothing says who calls them.

import (
	"sync"
	"time"
)

type CtxPool struct {
	mu    sync.Mutex
	conns []int
	stats *CtxStats
	done  chan struct{}
	kick  chan int
}

type CtxStats struct {
	mu sync.Mutex
	n  int
}

// The reaper goroutine takes p.mu then stats.mu; Close (exported, called
// by the pool's users) takes stats.mu then p.mu: low (such exported
// methods were shutdown paths on real code, run after the loops stopped).
func (p *CtxPool) Start() {
	go p.reap()
}

func (p *CtxPool) reap() {
	for range p.kick {
		p.mu.Lock()
		p.stats.mu.Lock() // want "p.stats.mu is locked here while p.mu is held.*forever \\[low confidence\\]$"
		p.stats.n = len(p.conns)
		p.stats.mu.Unlock()
		p.mu.Unlock()
	}
}

func (p *CtxPool) Close() {
	p.stats.mu.Lock()
	defer p.stats.mu.Unlock()
	p.mu.Lock()
	p.conns = nil
	p.mu.Unlock()
}

// Two goroutines of two go statements, each taking the locks in its own
// order: medium.
type CtxCache struct {
	mu    sync.Mutex
	index sync.Mutex
	keys  map[string]int
}

func (c *CtxCache) Run(in, out chan string) {
	go c.fill(in)
	go c.evict(out)
}

func (c *CtxCache) fill(in chan string) {
	for k := range in {
		c.mu.Lock()
		c.index.Lock() // want "c.index is locked here while c.mu is held.*forever$"
		c.keys[k] = 1
		c.index.Unlock()
		c.mu.Unlock()
	}
}

func (c *CtxCache) evict(out chan string) {
	for k := range out {
		c.index.Lock()
		c.mu.Lock()
		delete(c.keys, k)
		c.mu.Unlock()
		c.index.Unlock()
	}
}

// One run loop takes both orders in turn (quic-go's framer: packing and
// dropping an encryption level both run on the connection's loop): they
// never overlap, low.
type CtxFramer struct {
	mu      sync.Mutex
	control sync.Mutex
	frames  []int
	events  chan int
}

func (f *CtxFramer) Run() {
	go f.loop()
}

func (f *CtxFramer) loop() {
	for ev := range f.events {
		if ev == 0 {
			f.appendFrames()
		} else {
			f.dropLevel()
		}
	}
}

func (f *CtxFramer) appendFrames() {
	f.control.Lock()
	f.mu.Lock() // want "f.mu is locked here while f.control is held.*\\[low confidence\\]"
	f.frames = append(f.frames, 1)
	f.mu.Unlock()
	f.control.Unlock()
}

func (f *CtxFramer) dropLevel() {
	f.mu.Lock()
	f.control.Lock()
	f.frames = nil
	f.control.Unlock()
	f.mu.Unlock()
}

// Exported Shutdown first waits for the goroutine to finish (yamux's
// Close waits for recvDoneCh), then takes the locks in the other order:
// low.
type CtxSession struct {
	streamLock sync.Mutex
	stateLock  sync.Mutex
	recvDone   chan struct{}
	in         chan int
	state      int
}

func (s *CtxSession) Open() {
	s.recvDone = make(chan struct{})
	go s.recv()
}

func (s *CtxSession) recv() {
	defer close(s.recvDone)
	for v := range s.in {
		s.stateLock.Lock()
		s.streamLock.Lock() // want "s.streamLock is locked here while s.stateLock is held.*\\[low confidence\\]"
		s.state = v
		s.streamLock.Unlock()
		s.stateLock.Unlock()
	}
}

func (s *CtxSession) Shutdown() {
	<-s.recvDone
	s.streamLock.Lock()
	defer s.streamLock.Unlock()
	s.stateLock.Lock()
	s.state = -1
	s.stateLock.Unlock()
}

// A gate: both orders are taken under a third lock, write-locked first by
// both (amqp091's destructorM), so they cannot interleave: silent.
type CtxConn struct {
	gate   sync.Mutex
	m      sync.Mutex
	closeM sync.Mutex
	state  int
	events chan int
}

func (c *CtxConn) Start() { go c.recoverLoop() }

func (c *CtxConn) recoverLoop() {
	for range c.events {
		c.gate.Lock()
		c.closeM.Lock()
		c.m.Lock()
		c.state = 1
		c.m.Unlock()
		c.closeM.Unlock()
		c.gate.Unlock()
	}
}

func (c *CtxConn) Shutdown() {
	c.gate.Lock()
	defer c.gate.Unlock()
	c.m.Lock()
	defer c.m.Unlock()
	c.closeM.Lock()
	c.state = 2
	c.closeM.Unlock()
}

// An exported method of an unexported type: not API other packages call
// (quic-go's framer, driven by the connection's loop): low.
type ctxQueue struct {
	mu    sync.Mutex
	level sync.Mutex
	items []int
	tick  chan int
}

func (q *ctxQueue) start() { go q.pump() }

func (q *ctxQueue) pump() {
	for range q.tick {
		q.level.Lock()
		q.mu.Lock() // want "q.mu is locked here while q.level is held.*\\[low confidence\\]"
		q.items = q.items[:0]
		q.mu.Unlock()
		q.level.Unlock()
	}
}

func (q *ctxQueue) Reject() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.level.Lock()
	q.items = nil
	q.level.Unlock()
}

// The spawner goes on: handle starts the upsert goroutine (store.mu then
// index.mu) and then merges (index.mu then store.mu) while it runs:
// medium (hashicorp/vault#10877's shape).
type ctxStore struct {
	mu    sync.Mutex
	index sync.Mutex
	rows  map[string]int
}

func (s *ctxStore) upsert(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index.Lock() // want "s.index is locked here while s.mu is held.*forever$"
	s.rows[k]++
	s.index.Unlock()
}

func (s *ctxStore) merge(k string) {
	s.index.Lock()
	defer s.index.Unlock()
	s.mu.Lock()
	delete(s.rows, k)
	s.mu.Unlock()
}

func handleStore(s *ctxStore, upserts, merges <-chan string) {
	go func() {
		for k := range upserts {
			s.upsert(k)
		}
	}()
	for k := range merges {
		s.merge(k)
	}
}

// A look-alike: the spawner waits for its goroutine before it takes the
// other order: low.
type ctxJournal struct {
	mu    sync.Mutex
	flush sync.Mutex
	lines []string
}

func (j *ctxJournal) write(l string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.flush.Lock() // want "j.flush is locked here while j.mu is held.*\\[low confidence\\]"
	j.lines = append(j.lines, l)
	j.flush.Unlock()
}

func (j *ctxJournal) sync() {
	j.flush.Lock()
	defer j.flush.Unlock()
	j.mu.Lock()
	j.lines = nil
	j.mu.Unlock()
}

func replayJournal(j *ctxJournal, lines []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, l := range lines {
			j.write(l)
		}
	}()
	wg.Wait()
	j.sync()
}

// A timer runs a method value, and the caller of the function that armed
// it goes on to take the other order: medium (nats-server#6460's shape).
type ctxConsumer struct {
	mu     sync.Mutex
	js     *ctxMeta
	active bool
	tmr    *time.Timer
}

type ctxMeta struct {
	mu   sync.RWMutex
	quit chan struct{}
}

func (m *ctxMeta) quitC() chan struct{} {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.quit
}

func (o *ctxConsumer) expire() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.active {
		_ = o.js.quitC() // want "o.js.mu is read-locked here while o.mu is held.*forever$"
	}
}

func (o *ctxConsumer) arm() {
	o.mu.Lock()
	o.tmr = time.AfterFunc(time.Second, o.expire)
	o.mu.Unlock()
}

func (o *ctxConsumer) update() {
	o.mu.Lock()
	o.active = true
	o.mu.Unlock()
}

func (m *ctxMeta) assign(o *ctxConsumer) {
	m.mu.Lock()
	o.update()
	m.mu.Unlock()
}

func monitorMeta(m *ctxMeta, o *ctxConsumer, in <-chan int) {
	o.arm()
	for range in {
		m.assign(o)
	}
}
