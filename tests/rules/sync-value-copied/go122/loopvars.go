package go122

// Since Go 1.22 a three-clause loop's variables are per iteration: each
// iteration's copy is made from the previous one's, so a lock declared in
// the init statement is copied on every iteration.

import "sync"

type guarded struct {
	mu sync.Mutex
	n  int
}

func spin(limit int) {
	for i, mu := 0, (sync.Mutex{}); i < limit; i++ { // want "for loop iteration copies lock value to mu: sync.Mutex; since Go 1.22"
		mu.Lock()
		mu.Unlock()
	}
	for i, g := 0, (guarded{}); i < limit; i++ { // want "for loop iteration copies lock value to g: guarded contains sync.Mutex"
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
