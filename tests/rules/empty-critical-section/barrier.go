package empty_critical_section

import "sync"

type server struct {
	mu      sync.RWMutex
	running bool
}

// A documented barrier: low confidence.
func (s *server) waitForHandlers() {
	// Wait for in-flight handlers, which hold the read lock, to finish.
	s.mu.Lock()
	s.mu.Unlock() // want "empty critical section.*comment says it waits.*\\[low confidence\\]"
}

func (s *server) sync() {
	// a barrier: synchronise with the writer
	s.mu.RLock()
	s.mu.RUnlock() // want "\\[low confidence\\]"
}
