package double_lock

// Look-alikes from real code (issue 11): lock effects that depend on a
// parameter, Unlock bound to a func value, a loop that repeats only on the
// branch that unlocks, recursive read locks of a mutex nobody write-locks,
// and several calls under one held lock.

import "sync"

type Stream struct {
	mu   sync.RWMutex
	name string
	n    int
}

// nameLocked takes the read lock only when asked to (nats-server's shape).
func (s *Stream) nameLocked(needLock bool) string {
	if needLock {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	return s.name
}

func (s *Stream) countLocked(noLock bool) int {
	if !noLock {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return s.n
}

// The constant argument says no lock is taken: silent.
func (s *Stream) Reset() {
	s.mu.Lock()
	name := s.nameLocked(false)
	n := s.countLocked(true)
	s.n = len(name) + n
	s.mu.Unlock()
}

// The constant argument says it locks: still reported.
func (s *Stream) ResetBad() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n = s.countLocked(false) // want "s.countLocked locks it again, and s.mu is already held here \\(locked at line 44\\)"
}

// Unlock bound to a func value: the lock is released when unlock() runs.
func (s *Stream) OnceUnlock() {
	s.mu.Lock()
	unlock := sync.OnceFunc(s.mu.Unlock)
	defer unlock()
	s.n++
	unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	_ = s.name
}

func (s *Stream) MethodValue() {
	s.mu.Lock()
	release := s.mu.Unlock
	s.n++
	release()
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

// The loop comes back only on the branch that unlocks.
func (s *Stream) Retry(try func() bool) {
	for done := false; !done; {
		s.mu.Lock()
		done = try()
		if !done {
			s.mu.Unlock()
		}
	}
	s.n++
	s.mu.Unlock()
}

// Another condition decides: the loop can come back holding the lock.
func (s *Stream) RetryBad(try func() bool, other bool) {
	for done := false; !done; {
		s.mu.Lock() // want "s.mu may still be held when the loop comes back to this Lock"
		done = try()
		if other {
			s.mu.Unlock()
		}
	}
}

// Recursive read locks of a mutex that nothing in the package write-locks
// never block.
type RTable struct {
	mu   sync.RWMutex
	rows []int
}

func (t *RTable) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}

func (t *RTable) Sum() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.Len()
}

// A benchmark of RLock (grpc's shape): no writer, silent.
func benchRLock(n int) {
	var mu sync.RWMutex
	i := 0
	for ; i < n; i++ {
		mu.RLock()
	}
	for ; i > 0; i-- {
		mu.RUnlock()
	}
}

// With a writer of the same mutex, a loop of RLocks is the RWR deadlock,
// and the message says RLock.
func rlockLoop(n int) {
	var mu sync.RWMutex
	mu.Lock()
	mu.Unlock()
	for i := 0; i < n; i++ {
		mu.RLock() // want "mu may still be read-locked when the loop comes back to this RLock: a path through the loop body skips the RUnlock.*\\[low confidence\\]"
	}
}

// One report per held lock, not one per call under it.
type Reg struct {
	mu sync.Mutex
	m  map[string]int
}

func (r *Reg) get(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[k]
}

func (r *Reg) Both() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.get("a") // want "r.get locks it again, and r.mu is already held here"
	b := r.get("b")
	return a + b
}

// A read transaction: Read returns holding the read lock, End releases it
// (etcd's mvcc store). Two open transactions in one goroutine are a
// recursive RLock, but the protocol lives in the API: low confidence even
// with a writer goroutine.
type Store struct {
	mu  sync.RWMutex
	rev int
}

type Txn struct{ s *Store }

func (s *Store) Read() *Txn {
	s.mu.RLock()
	return &Txn{s}
}

func (s *Store) compact() {
	s.mu.Lock()
	s.rev = 0
	s.mu.Unlock()
}

func (s *Store) StartCompactor() {
	go s.compact()
}

func twoReads(s *Store) {
	t1 := s.Read()
	t2 := s.Read() // want "s.Read read-locks it again.*\\[low confidence\\]"
	_, _ = t1, t2
}
