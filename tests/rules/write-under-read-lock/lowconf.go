package write_under_read_lock

// Low confidence: a read lock that only keeps Close out of a value with one
// user, a method documented as never run concurrently, and a lock never
// write-locked in the package.

import "sync"

type Iterator struct {
	mu     sync.RWMutex
	closed bool
	curr   int
	buf    []int
}

// Next is called by the iterator's one consumer; the read lock keeps a
// concurrent Close out.
func (it *Iterator) Next() (int, bool) {
	it.mu.RLock()
	defer it.mu.RUnlock()
	if it.closed || it.curr >= len(it.buf) {
		return 0, false
	}
	it.curr++ // want "it.curr is written while only the read lock it.mu is held \\(RLock at line 19\\) \\(its write lock is taken only to close or stop: it may only keep Close out\\).*\\[low confidence\\]"
	return it.buf[it.curr-1], true
}

func (it *Iterator) Close() error {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.closed = true
	it.buf = nil
	return nil
}

type Queue struct {
	mu   sync.RWMutex
	buf  []int
	tail int
}

// NB: externally synchronized, i.e., no concurrent push calls.
func (q *Queue) push(x int) {
	if q.tail == len(q.buf) {
		q.mu.Lock()
		q.buf = append(q.buf, make([]int, len(q.buf)+1)...)
		q.mu.Unlock()
	}
	q.mu.RLock()
	q.buf[q.tail] = x // want "q.buf has an element written while only the read lock q.mu is held \\(RLock at line 49\\) \\(a comment says the code is not run concurrently\\).*\\[low confidence\\]"
	q.tail++          // want "q.tail is written.*\\[low confidence\\]"
	q.mu.RUnlock()
}

type Counter struct {
	mu sync.RWMutex
	// hits is bumped by the single goroutine that runs the loop.
	hits int
}

func (c *Counter) Loop() {
	c.mu.Lock()
	c.hits = 0
	c.mu.Unlock()
}

func (c *Counter) Tick() {
	c.mu.RLock()
	c.hits++ // want "c.hits is written.*\\(a comment says the code is not run concurrently\\).*\\[low confidence\\]"
	c.mu.RUnlock()
}

var (
	onlyReadMu sync.RWMutex
	reads      int
)

func Read() int {
	onlyReadMu.RLock()
	defer onlyReadMu.RUnlock()
	reads++ // want "reads is written while only the read lock onlyReadMu is held \\(RLock at line 79\\) \\(its write lock is never taken in this package\\).*\\[low confidence\\]"
	return reads
}
