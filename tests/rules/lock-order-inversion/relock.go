package lock_order

import "sync"

// A callee that releases a lock its caller holds and takes it again
// (`a.Unlock(); ...; a.Lock()`) takes that lock while the caller's other
// locks are held: called under a and b (b taken after a), it orders b
// before a. With the caller's own a-then-b order that is an inversion and
// a real deadlock: while the callee has a released, a second caller takes
// a and waits for b, and the callee waits for a while holding b.

type rlTable struct {
	mu    sync.Mutex // a
	rowMu sync.Mutex // b
	rows  []int
}

func (t *rlTable) update(v int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rowMu.Lock() // want "t.rowMu is locked here while t.mu is held \\(locked at line 19\\), but relock.go:23 locks them in the opposite order \\(t.rowMu, then t.mu\\)"
	defer t.rowMu.Unlock()
	t.flushSlow()
	t.rows = append(t.rows, v)
}

// flushSlow drops the table lock around slow work and takes it again.
func (t *rlTable) flushSlow() {
	t.mu.Unlock()
	rlWrite()
	t.mu.Lock()
}

func rlWrite() {}

// Fixed twin: the row lock is released before the call.
type rlTableFixed struct {
	mu    sync.Mutex
	rowMu sync.Mutex
	rows  []int
}

func (t *rlTableFixed) update(v int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rowMu.Lock()
	t.rows = append(t.rows, v)
	t.rowMu.Unlock()
	t.flushSlow()
}

func (t *rlTableFixed) flushSlow() {
	t.mu.Unlock()
	rlWrite()
	t.mu.Lock()
}

// Look-alike (cond-wait style): the callee releases and retakes the only
// lock its caller holds; no second lock is held across it.
type rlQueue struct {
	mu    sync.Mutex
	items []int
}

func (q *rlQueue) push(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, v)
	q.waitRoom()
}

func (q *rlQueue) waitRoom() {
	for len(q.items) > 8 {
		q.mu.Unlock()
		rlWrite()
		q.mu.Lock()
	}
}

// Look-alike: the release is decided by a bool parameter, and the caller
// that holds the second lock passes false.
type rlLog struct {
	mu    sync.Mutex
	bufMu sync.Mutex
	buf   []byte
}

func (l *rlLog) sync(release bool) {
	if release {
		l.mu.Unlock()
		rlWrite()
		l.mu.Lock()
	}
}

func (l *rlLog) append(b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bufMu.Lock()
	l.buf = append(l.buf, b...)
	l.sync(false)
	l.bufMu.Unlock()
	l.sync(true)
}

// The callee itself orders b before a: it releases its caller's lock a,
// takes b, and takes a again while holding b; another method takes a,
// then b.
type rlStore struct {
	mu    sync.Mutex // a
	idxMu sync.Mutex // b
	idx   map[string]int
}

func (s *rlStore) reindex() {
	s.mu.Unlock()
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	s.mu.Lock() // want "s.mu is locked here while s.idxMu is held \\(locked at line 117\\), but relock.go:132 locks them in the opposite order \\(s.mu, then s.idxMu\\)"
	s.idx = map[string]int{}
}

func (s *rlStore) refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reindex()
}

func (s *rlStore) lookup(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	return s.idx[k]
}

// Fixed twin: b is released before a is taken again.
type rlStoreFixed struct {
	mu    sync.Mutex
	idxMu sync.Mutex
	idx   map[string]int
}

func (s *rlStoreFixed) reindex() {
	s.mu.Unlock()
	s.idxMu.Lock()
	s.idx = map[string]int{}
	s.idxMu.Unlock()
	s.mu.Lock()
}

func (s *rlStoreFixed) refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reindex()
}

func (s *rlStoreFixed) lookup(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	return s.idx[k]
}

// Look-alike (a false inversion before): the callee releases the caller's
// lock a before it takes b, so its caller holding a orders nothing before
// b; b is taken before a only, in the callee.
type rlPool struct {
	mu     sync.Mutex
	connMu sync.Mutex
	conns  int
}

func (p *rlPool) grow() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dial()
}

func (p *rlPool) dial() {
	p.mu.Unlock()
	p.connMu.Lock()
	p.conns++
	p.mu.Lock()
	p.connMu.Unlock()
}
