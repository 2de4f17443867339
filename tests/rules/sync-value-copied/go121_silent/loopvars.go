package go121

// Before Go 1.22 the loop has one variable for all iterations: no copy.

import "sync"

type guarded struct {
	mu sync.Mutex
	n  int
}

func spin(limit int) {
	for i, mu := 0, (sync.Mutex{}); i < limit; i++ {
		mu.Lock()
		mu.Unlock()
	}
	for i, g := 0, (guarded{}); i < limit; i++ {
		g.mu.Lock()
		g.n++
		g.mu.Unlock()
	}
}

// Silent: a pointer per iteration, a blank name, a lock declared before the
// loop, and a range loop (its variables are assigned, not copied on).
func spinRight(limit int, locks []*sync.Mutex) {
	for i, mu := 0, new(sync.Mutex); i < limit; i++ {
		mu.Lock()
		mu.Unlock()
	}
	for i, _ := 0, (sync.Mutex{}); i < limit; i++ {
	}
	var mu sync.Mutex
	for i := 0; i < limit; i++ {
		mu.Lock()
		mu.Unlock()
	}
	for _, l := range locks {
		l.Lock()
		l.Unlock()
	}
}
