// Package together is the driver shared by the race programs' tests: it
// runs f on n goroutines that start at the same moment, so their accesses
// overlap, and returns when all are done.
package together

import "sync"

func Run(n int, f func()) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f()
		}()
	}
	close(start)
	wg.Wait()
}
