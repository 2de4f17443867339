package darkpatterns

// Pattern: unsynchronised shared counter (seed, chapter 1).
// Several goroutines run counter++ on a package variable: a read-modify-write
// that is not atomic, so updates are lost and the race detector reports it.
// Fix: sync/atomic (atomic.Int64) or a mutex around the update.

import (
	"sync"
	"sync/atomic"
)

var counter int

func countRacy(n int) int {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counter++ // GD601: every goroutine of the loop writes counter
		}()
	}
	wg.Wait()
	return counter
}

var safeCounter atomic.Int64

func countSafe(n int) int64 {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			safeCounter.Add(1)
		}()
	}
	wg.Wait() // Wait returning makes every goroutine's writes visible here
	return safeCounter.Load()
}
