package empty_critical_section

import (
	"sync"
	"testing"
)

type store struct {
	mu sync.Mutex
	n  int
}

// In a test the pair mostly waits on purpose: low.
func TestPair(t *testing.T) {
	s := &store{}
	s.mu.Lock()
	s.mu.Unlock() // want "in a test.*\\[low confidence\\]"
	if s.n != 0 {
		t.Fatal(s.n)
	}
}
