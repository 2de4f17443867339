package wgloop

import "sync"

// Each pass waits for the goroutine it just started.
func Serial(items []string, work func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			work(s)
		}(it)
		wg.Wait() // want "wg.Wait in the loop that starts the goroutine it waits for: each pass waits for the goroutine it just started"
	}
}

// Fixed: the Wait after the loop.
func Parallel(items []string, work func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			work(s)
		}(it)
	}
	wg.Wait()
}

type job struct{ wg sync.WaitGroup }

// Through a field, with a method doing the work.
func (j *job) run(n int) {
	for i := 0; i < n; i++ {
		j.wg.Add(1)
		go j.step(i)
		j.wg.Wait() // want "j.wg.Wait in the loop"
	}
}

func (j *job) step(i int) {
	defer j.wg.Done()
	_ = i
}

// Look-alikes that must stay silent.

// Batches: the goroutines of a batch run side by side.
func Batches(batches [][]string, work func(string)) {
	var wg sync.WaitGroup
	for _, b := range batches {
		for _, it := range b {
			wg.Add(1)
			go func(s string) {
				defer wg.Done()
				work(s)
			}(it)
		}
		wg.Wait()
	}
}

// A flush every N items.
func Flush(items []string, work func(string)) {
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			work(s)
		}(it)
		if i%16 == 15 {
			wg.Wait()
		}
	}
	wg.Wait()
}

// Two goroutines per pass run side by side.
func Pairs(items []string, a, b func(string)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(2)
		go func(s string) { defer wg.Done(); a(s) }(it)
		go func(s string) { defer wg.Done(); b(s) }(it)
		wg.Wait()
	}
}

// The spawner works alongside its goroutine before it waits.
func Pipeline(items []string, produce func(string, chan<- int), consume func(<-chan int)) {
	var wg sync.WaitGroup
	for _, it := range items {
		ch := make(chan int)
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			produce(s, ch)
			close(ch)
		}(it)
		consume(ch)
		wg.Wait()
	}
}

// A group per pass: a fresh goroutine on purpose (low confidence).
func Isolated(fs []func()) {
	for _, f := range fs {
		var wg sync.WaitGroup
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			defer func() { recover() }()
			f()
		}(f)
		wg.Wait() // want "wg.Wait in the loop.*\\[low confidence\\]"
	}
}
