package lock_order

import "sync"

// The package's order is Session.mu, then Conn.mu; a test helper
// (inspect_test.go) takes them the other way round.
type Session struct {
	mu      sync.Mutex
	pending int
}

type Conn struct {
	mu   sync.Mutex
	sess *Session
	n    int
}

func (c *Conn) touch() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func processSub(s *Session, c *Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.touch() // want "c.mu is locked here while s.mu is held \\(locked at line 25\\), but inspect_test.go:11 locks them in the opposite order.*\\[low confidence\\]"
	s.pending++
}
