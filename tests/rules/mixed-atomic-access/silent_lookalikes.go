package metrics

import (
	"sync"
	"sync/atomic"
)

// Typed atomics: plain access is impossible.
type gauge struct {
	v    atomic.Int64
	hits atomic.Uint32
}

func (g *gauge) set(x int64) { g.v.Store(x) }
func (g *gauge) get() int64  { return g.v.Load() }
func (g *gauge) hit()        { g.hits.Add(1) }

// Initialisation before publication: constructor with &T{} and new(T).
func newRequestStats(start uint64) *requestStats {
	s := &requestStats{}
	s.total = start
	s.inflight = 0
	return s
}

func newConn() *conn {
	c := new(conn)
	c.closing = 0
	return c
}

func newStatsLiteral() *requestStats {
	return &requestStats{total: 1, inflight: 2}
}

// Unrelated field with the same name in another type.
type job struct {
	total uint64
}

func (j *job) add(n uint64) { j.total += n }

// A local counter read after the goroutines are joined.
func countJoined(items []int) int64 {
	var n int64
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&n, 1)
		}()
	}
	wg.Wait()
	return n
}

// A local set before any goroutine starts.
func countFrom(start int64, items []int) int64 {
	n := start
	n += 1
	done := make(chan bool)
	for range items {
		go func() {
			atomic.AddInt64(&n, 1)
			done <- true
		}()
	}
	for range items {
		<-done
	}
	return n
}

// A value receiver reads its own copy.
func (s requestStats) snapshotTotal() uint64 { return s.total }

// A local struct value copied from shared state: the fields of the copy are
// not shared.
func copyStats(p *requestStats) uint64 {
	var c requestStats
	c.total = atomic.LoadUint64(&p.total)
	c.inflight = 1
	return c.total
}

// Address taken for an atomic helper only.
func addTo(p *int64) { atomic.AddInt64(p, 1) }

var served int64

func serve() { addTo(&served) }

// Package variable initialised in init, before goroutines exist.
var generation uint32

func init() { generation = 1 }

func bumpGeneration() uint32 { return atomic.AddUint32(&generation, 1) }

// Reads where every access elsewhere is a load too: no write to race with.
var limit int64

func getLimit() int64 { return atomic.LoadInt64(&limit) }

func limitPlain() int64 { return limit }

// A functional option configures the value before NewTracer returns it.
type tracer struct {
	noop int32
}

type tracerOption func(*tracer)

func withNoop(on bool) tracerOption {
	return func(t *tracer) {
		if on {
			t.noop++
		}
	}
}

func newTracer(opts ...tracerOption) *tracer {
	t := &tracer{}
	t.noop = 0
	for _, o := range opts {
		o(t)
	}
	return t
}

func (t *tracer) isNoop() bool { return atomic.LoadInt32(&t.noop) != 0 }

func (t *tracer) disable() { atomic.StoreInt32(&t.noop, 1) }

// A callback run synchronously (testing.B.RunParallel style) and read after.
func runAll(run func(func())) int64 {
	var calls int64
	run(func() { atomic.AddInt64(&calls, 1) })
	return calls
}
