package darkpatterns

// Pattern: concurrent map writes (seed, chapter 1).
// Go maps are not safe for concurrent writes; the runtime detects it and
// stops the program with "fatal error: concurrent map writes", which
// recover cannot catch.
// Fix: a mutex around the map, or sync.Map for append-mostly caches.

import "sync"

func fillRacy(keys []string) map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			m[k] = len(k) // GD602: every goroutine of the loop writes m
		}(k)
	}
	wg.Wait()
	return m
}

func fillSafe(keys []string) map[string]int {
	m := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			mu.Lock()
			m[k] = len(k)
			mu.Unlock()
		}(k)
	}
	wg.Wait()
	return m
}
