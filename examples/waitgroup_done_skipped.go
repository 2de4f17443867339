package darkpatterns

// Pattern: wg.Done skipped on an error path (seed, 3.3: "Wait blocks for
// ever when a goroutine never reaches its Done").
// The goroutine returns early without Done; Wait never returns.
// Fix: `defer wg.Done()` as the goroutine's first statement.

import "sync"

func fetchAll(urls []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if err := fetch(u); err != nil {
				return // GD302
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}

func fetchAllFixed(urls []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			_ = fetch(u)
		}(u)
	}
	wg.Wait()
}
