package lock_order

// A lock two fields away, taken by a helper of a helper: wrap() calls
// s.rep.lockIt(), so holding s.mu while calling wrap() takes Replica.mu.

import "sync"

type Replica struct{ mu sync.Mutex }

func (r *Replica) lockIt()   { r.mu.Lock() }
func (r *Replica) unlockIt() { r.mu.Unlock() }

type Shard struct {
	mu  sync.Mutex
	rep *Replica
}

func (s *Shard) wrap()   { s.rep.lockIt() }
func (s *Shard) unwrap() { s.rep.unlockIt() }

func (s *Shard) sync() {
	s.mu.Lock()
	s.wrap() // want "s.rep.mu is locked here while s.mu is held \\(locked at line 22\\).*opposite order \\(s.rep.mu, then s.mu\\)"
	s.unwrap()
	s.mu.Unlock()
}

func (s *Shard) repair() {
	s.rep.mu.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	s.rep.mu.Unlock()
}

// The fixed twin: both take the shard's lock first.
type Shard2 struct {
	mu  sync.Mutex
	rep *Replica
}

func (s *Shard2) wrap()   { s.rep.lockIt() }
func (s *Shard2) unwrap() { s.rep.unlockIt() }

func (s *Shard2) sync() {
	s.mu.Lock()
	s.wrap()
	s.unwrap()
	s.mu.Unlock()
}

func (s *Shard2) repair() {
	s.mu.Lock()
	s.rep.mu.Lock()
	s.rep.mu.Unlock()
	s.mu.Unlock()
}

// A look-alike: the other order is on a Replica that is not a Shard's
// (a field of another type, Mirror.rep is a *Replica too, but Mirror.mu is
// not Shard.mu): silent.
type Mirror struct {
	mu  sync.Mutex
	rep *Replica
}

func (m *Mirror) copy() {
	m.rep.mu.Lock()
	m.mu.Lock()
	m.mu.Unlock()
	m.rep.mu.Unlock()
}
