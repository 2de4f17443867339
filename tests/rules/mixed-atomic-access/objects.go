package metrics

import (
	"sync"
	"sync/atomic"
)

// Objects, not declaring types (nats-server's stats): a client and an
// account embed the same counters type; the client's are atomic, the
// account's are guarded by the account's mutex. acc.stats.inMsgs and
// c.inMsgs are different objects.
type counters struct {
	inMsgs  int64
	outMsgs int64
}

type client struct {
	counters
	acc *account
}

type account struct {
	stats struct {
		sync.Mutex
		counters
	}
}

func (c *client) received(n int64) {
	atomic.AddInt64(&c.inMsgs, n)
	if c.acc != nil {
		c.acc.stats.Lock()
		c.acc.stats.inMsgs += n
		c.acc.stats.Unlock()
	}
}

func (a *account) received(n int64) {
	a.stats.Lock()
	a.stats.inMsgs += n
	a.stats.Unlock()
}

// The client's own counter spelled through the embedded field is the
// same object: still reported.
func (c *client) receivedBatch(n int64) {
	c.counters.inMsgs += n // want "plain write to c.counters.inMsgs, which is also updated with atomic.AddInt64.*updates$"
}

// One exclusive lock in common (nats-server's OCSP cache): the atomic adds
// run under the read lock, the plain writes under the write lock, so they
// never overlap.
type cacheStats struct {
	hits, misses, goods int64
}

type localCache struct {
	mu    sync.RWMutex
	stats *cacheStats
	items map[string]int
}

func (c *localCache) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.items[k]
	if ok {
		atomic.AddInt64(&c.stats.hits, 1)
	} else {
		atomic.AddInt64(&c.stats.misses, 1)
	}
	return v
}

func (c *localCache) put(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = v
	c.adjust(1)
}

// Atomic, but only ever called with the write lock held.
func (c *localCache) adjust(d int64) {
	atomic.AddInt64(&c.stats.goods, d)
}

func (c *localCache) initStats() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats = &cacheStats{}
	for range c.items {
		c.stats.goods++
	}
	c.stats.hits = 0
}

// The read lock is shared: two holders run at once, so a plain write
// under it still races with the atomic adds made under it too.
func (c *localCache) bumpShared() {
	c.mu.RLock()
	c.stats.hits++ // want "plain write to c.stats.hits, which is also updated with atomic.AddInt64.*updates$"
	c.mu.RUnlock()
}

// A plain write before every goroutine start is initialisation.
type pump struct {
	sent int64
}

func (p *pump) loop() {
	for {
		atomic.AddInt64(&p.sent, 1)
	}
}

func (p *pump) start() {
	p.sent = 0
	go p.loop()
}

// After the start it races with the loop.
func (p *pump) restart() {
	go p.loop()
	p.sent = 0 // want "plain write to p.sent, which is also updated with atomic.AddInt64.*updates \\[low confidence\\]"
}

// A loop that starts a goroutine per round writes while the previous
// round's goroutine runs.
func (p *pump) startMany(n int) {
	for i := 0; i < n; i++ {
		p.sent = 0 // want "plain write to p.sent, which is also updated with atomic.AddInt64.*updates \\[low confidence\\]"
		go p.loop()
	}
}

// A snapshot of a shared counter object copied field by field with atomic
// loads into a fresh object of the same type: the plain stores write the
// snapshot, not the counters (rocketmq's benchmark takeSnapshot).
type benchStats struct {
	sent, failed int64
}

type benchRun struct {
	cur *benchStats
}

func (r *benchRun) record(ok bool) {
	if ok {
		atomic.AddInt64(&r.cur.sent, 1)
	} else {
		atomic.AddInt64(&r.cur.failed, 1)
	}
}

func (r *benchRun) snapshot() *benchStats {
	b := r.cur
	sn := new(benchStats)
	sn.sent = atomic.LoadInt64(&b.sent)
	sn.failed = atomic.LoadInt64(&b.failed)
	return sn
}

// The same object's counter given the result of its own Add: the plain
// store races with the other goroutines' Adds and can undo them.
func (r *benchRun) recordTwice() {
	r.cur.sent = atomic.AddInt64(&r.cur.sent, 1) // want "r.cur.sent = atomic.AddInt64\\(&r.cur.sent, ...\\) stores the result with a plain write"
}

// A plain store the author reasoned about (nats-streaming's checkSlices):
// low.
type sliceStore struct {
	mu     sync.Mutex
	checks int64
}

func (s *sliceStore) markChecked() {
	atomic.StoreInt64(&s.checks, 1)
}

func (s *sliceStore) reset() {
	s.mu.Lock()
	// No need for the sync/atomic store here: we hold the store lock and
	// this goroutine is the only reader.
	s.checks = 0 // want "plain write to s.checks, which is also updated with atomic.StoreInt64.*\\[low confidence\\]"
	s.mu.Unlock()
}
