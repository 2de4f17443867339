package metrics

import "sync/atomic"

// InfluxDB's storage/flux table: the column buffer is replaced when the
// atomic load says a reader still holds it, so the plain store of the
// reference count hits a fresh buffer or one nobody holds: low.
type colReader struct {
	refCount int64
	cols     []int
}

func (cr *colReader) Retain() { atomic.AddInt64(&cr.refCount, 1) }

func (cr *colReader) Release() {
	if atomic.AddInt64(&cr.refCount, -1) == 0 {
		cr.cols = nil
	}
}

type table struct {
	colBufs *colReader
}

func (t *table) allocateBuffer(n int) *colReader {
	if t.colBufs == nil || atomic.LoadInt64(&t.colBufs.refCount) > 0 {
		t.colBufs = &colReader{cols: make([]int, n)}
	}
	t.colBufs.refCount = 1 // want "plain write to t.colBufs.refCount, which is also updated with atomic.AddInt64.*\\[low confidence\\]"
	return t.colBufs
}

// The load decides something else: the store races with Retain/Release.
func (t *table) reset(n int) {
	if atomic.LoadInt64(&t.colBufs.refCount) > 0 {
		n = 0
	}
	t.colBufs.refCount = int64(n) // want "plain write to t.colBufs.refCount, which is also updated with atomic.AddInt64 \\(recycle.go:13\\): the write races with the atomic operations and can undo their updates$"
}
