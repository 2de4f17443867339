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

// The reason is at the top of a longer comment block.
func (s *server) stop() {
	s.running = false
	// Let every goroutine that is still
	// inside a handler finish: the handlers
	// hold the read lock while they run, so
	// taking the write lock once is enough.
	s.mu.Lock()
	s.mu.Unlock() // want "\\[low confidence\\]"
	s.running = true
}

// A comment far above, then code: not about the pair.
func (s *server) restart() {
	// wait for nothing in particular

	s.running = false
	s.mu.Lock()
	s.mu.Unlock() // want "s.running is used after it without the lock\\)$"
	s.running = true
}
