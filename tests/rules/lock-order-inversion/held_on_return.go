package lock_order

import "sync"

// Locks taken by same-package calls order the caller's next locks: a
// helper that returns with a lock held ("still held on return"), and a
// deferred call that locks, which runs at the exit under the locks whose
// deferred release was registered before it.

type hrUsers struct {
	a sync.Mutex
	b sync.Mutex
	n int
}

// lockA returns with u.a held.
func (u *hrUsers) lockA() { u.a.Lock() }

func (u *hrUsers) add() {
	u.lockA()
	defer u.a.Unlock()
	u.b.Lock() // want "u.b is locked here while u.a is held \\(locked at line 20\\), but held_on_return.go:29 locks them in the opposite order \\(u.b, then u.a\\)"
	u.n++
	u.b.Unlock()
}

func (u *hrUsers) drop() {
	u.b.Lock()
	u.lockA()
	u.n--
	u.a.Unlock()
	u.b.Unlock()
}

// A deferred call that locks b, registered after a's deferred release:
// it runs while a is still held.
type hrStats struct {
	a    sync.Mutex
	b    sync.Mutex
	hits int
}

func (s *hrStats) note() {
	s.b.Lock()
	s.hits++
	s.b.Unlock()
}

func (s *hrStats) get() int {
	s.a.Lock()
	defer s.a.Unlock()
	defer s.note() // want "s.b is locked here while s.a is held \\(locked at line 50\\), but held_on_return.go:59 locks them in the opposite order \\(s.b, then s.a\\)"
	return s.hits
}

func (s *hrStats) reset() {
	s.b.Lock()
	defer s.b.Unlock()
	s.a.Lock()
	s.hits = 0
	s.a.Unlock()
}

// Look-alike: the deferred call is registered before a's deferred
// release, so it runs after a is released.
type hrStatsFixed struct {
	a    sync.Mutex
	b    sync.Mutex
	hits int
}

func (s *hrStatsFixed) note() {
	s.b.Lock()
	s.hits++
	s.b.Unlock()
}

func (s *hrStatsFixed) get() int {
	defer s.note()
	s.a.Lock()
	defer s.a.Unlock()
	return s.hits
}

func (s *hrStatsFixed) reset() {
	s.b.Lock()
	defer s.b.Unlock()
	s.a.Lock()
	s.hits = 0
	s.a.Unlock()
}

// Look-alike: a is released explicitly before the function returns, so
// the deferred call runs without it.
type hrStatsUnlocked struct {
	a    sync.Mutex
	b    sync.Mutex
	hits int
}

func (s *hrStatsUnlocked) note() {
	s.b.Lock()
	s.hits++
	s.b.Unlock()
}

func (s *hrStatsUnlocked) get() int {
	s.a.Lock()
	defer s.note()
	h := s.hits
	s.a.Unlock()
	return h
}

func (s *hrStatsUnlocked) reset() {
	s.b.Lock()
	defer s.b.Unlock()
	s.a.Lock()
	s.hits = 0
	s.a.Unlock()
}
