package darkpatterns

// Pattern: a WaitGroup passed by value (seed, chapter 3).
// worker gets a copy of the WaitGroup: its Done decrements the copy, the
// caller's Wait never sees it and blocks forever (or the copy's counter goes
// negative and panics).
// Fix: pass *sync.WaitGroup.

import "sync"

func worker(id int, wg sync.WaitGroup) { // GD401
	defer wg.Done()
	_ = id
}

func workerFixed(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	_ = id
}

func startWorkers() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go workerFixed(i, &wg)
	}
	wg.Wait()
}
