package metrics

import (
	"sync"
	atom "sync/atomic"
	"sync/atomic"
	"time"
)

// A request counter in the shape of etcd/CockroachDB metrics: incremented
// atomically on the hot path, reset with a plain store.
type requestStats struct {
	inflight int64
	total    uint64
	lastNano int64
}

func (s *requestStats) begin() {
	atomic.AddInt64(&s.inflight, 1)
	atomic.AddUint64(&s.total, 1)
}

func (s *requestStats) end() {
	atomic.AddInt64(&s.inflight, -1)
	atomic.StoreInt64(&s.lastNano, time.Now().UnixNano())
}

func (s *requestStats) reset() {
	// A plain store: often a reset of a value no longer shared, so low.
	s.total = 0 // want "plain write to s.total, which is also updated with atomic.AddUint64 \\(metrics.go:20\\): the write races.*\\[low confidence\\]"
}

func (s *requestStats) busy() bool {
	return s.inflight > 0 // want "plain read of s.inflight, which is updated with atomic functions elsewhere.*\\[low confidence\\]"
}

func (s *requestStats) markDone() {
	s.inflight-- // want "plain write to s.inflight.*updates$"
}

// Through an import alias.
var dropped int64

func drop() { atom.AddInt64(&dropped, 1) }

func clearDropped() {
	dropped = 0 // want "plain write to dropped, which is also updated with atomic.AddInt64.*\\[low confidence\\]"
}

// The self-defeating shape.
var seq uint32

func nextSeq() uint32 {
	seq = atomic.AddUint32(&seq, 1) // want "seq = atomic.AddUint32\\(&seq, ...\\) stores the result with a plain write"
	return seq                      // want "plain read of seq.*\\[low confidence\\]"
}

// A flag set with CompareAndSwap, cleared with a plain store (Docker-style
// "closing" flags).
type conn struct {
	closing int32
	mu      sync.Mutex
}

func (c *conn) Close() error {
	if !atomic.CompareAndSwapInt32(&c.closing, 0, 1) {
		return nil
	}
	return nil
}

func (c *conn) reopen() {
	c.mu.Lock()
	c.closing = 0 // want "plain write to c.closing.*\\[low confidence\\]"
	c.mu.Unlock()
}

// A local counter updated by goroutines and incremented plainly while
// they run.
func countParallel(items []int) int64 {
	var n int64
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&n, 1)
		}()
	}
	n++ // want "plain write to n, .*updates$"
	wg.Wait()
	return n
}

// A field reached through an embedded struct keys on the declaring type.
type base struct {
	refs int32
}

type handle struct {
	base
	name string
}

func (h *handle) acquire() { atomic.AddInt32(&h.refs, 1) }

func (h *handle) forceRelease() {
	h.refs = 0 // want "plain write to h.refs.*\\[low confidence\\]"
}

// A value set through a pointer field to shared memory.
type server struct {
	stats *requestStats
}

func (s *server) resetAll() {
	s.stats.lastNano = 0 // want "plain write to s.stats.lastNano.*\\[low confidence\\]"
}

// Check-then-act: the function loads the state atomically, then stores it
// plainly (gRPC-style connectivity state).
type balancer struct {
	state int32
}

func (b *balancer) shutdown() {
	if atomic.LoadInt32(&b.state) == 2 {
		return
	}
	// Only loads are atomic: the message says so, not "updates"; and with
	// no atomic writer and no goroutine reaching it, low.
	b.state = 2 // want "plain write to b.state, which is also read with atomic.LoadInt32 .*atomic loads, which expect every writer to be atomic \\(but no atomic operation writes it.*vestigial\\) \\[low confidence\\]$"
}

func (b *balancer) ready() bool { return atomic.LoadInt32(&b.state) == 1 }

// A lost update: the hot path adds atomically, a batch path adds plainly.
type shardStats struct {
	bytes uint64
}

func (s *shardStats) record(n uint64) { atomic.AddUint64(&s.bytes, n) }

func (s *shardStats) recordBatch(sizes []uint64) {
	for _, n := range sizes {
		s.bytes += n // want "plain write to s.bytes.*updates$"
	}
}

// Construction that calls a method on the value before setting a field:
// the method might publish it, so low.
func newShardStats(seed uint64) *shardStats {
	s := &shardStats{}
	s.record(seed)
	s.bytes += 1 // want "plain write to s.bytes.*\\[low confidence\\]"
	return s
}

// Published with a go statement, then written.
func startShard() *shardStats {
	s := &shardStats{}
	go s.record(1)
	s.bytes++ // want "plain write to s.bytes.*updates$"
	return s
}
