package darkpatterns

// Pattern: WaitGroup.Add inside the goroutine it counts (seed, 3.1).
// Wait can run before the goroutine has started and called Add, see a zero
// counter and return while the work is still running.
// Fix: call wg.Add(1) before the go statement.

import "sync"

func runAll(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		job := job
		go func() {
			wg.Add(1) // GD301
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
}

func runAllFixed(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		job := job
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
}
