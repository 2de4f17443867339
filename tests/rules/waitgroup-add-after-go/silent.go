package waitgroup_add_after_go

import (
	"io"
	"sync"
)

// The normal pattern: Add right before each go statement.
func pullImages(refs []string, pull func(string)) {
	var wg sync.WaitGroup
	for _, r := range refs {
		wg.Add(1)
		go func(r string) {
			defer wg.Done()
			pull(r)
		}(r)
	}
	wg.Wait()
}

// Add(len(xs)) before the loop covers every goroutine.
func probeAll(addrs []string, probe func(string)) {
	var wg sync.WaitGroup
	wg.Add(len(addrs))
	for _, a := range addrs {
		go func(a string) {
			defer wg.Done()
			probe(a)
		}(a)
	}
	wg.Wait()
}

// A constant Add for two goroutines, then a second round after Wait.
func twoRounds(a, b, c func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a() }()
	go func() { defer wg.Done(); b() }()
	wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done(); c() }()
	wg.Wait()
}

// Add inside the goroutine: GD301's business, not this rule's.
func addInside(jobs []func()) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		go func(j func()) {
			wg.Add(1)
			defer wg.Done()
			j()
		}(j)
	}
	wg.Wait()
}

// A different group: the goroutine Dones readers, the Add is for writers.
func pipe(r io.Reader, w io.Writer) {
	var readers, writers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		_, _ = io.Copy(io.Discard, r)
	}()
	writers.Add(1)
	go func() {
		defer writers.Done()
		_, _ = w.Write(nil)
	}()
	readers.Wait()
	writers.Wait()
}

// The goroutine started first does not call Done on the group: it waits.
func gather(results chan<- int, work []int) {
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() {
		<-done
		close(results)
	}()
	wg.Add(len(work))
	for _, w := range work {
		go func(w int) {
			defer wg.Done()
			results <- w
		}(w)
	}
	wg.Wait()
	close(done)
}

// The goroutine calls Done on another group that it is handed.
func relay(outer *sync.WaitGroup, f func()) {
	var inner sync.WaitGroup
	go func() {
		defer outer.Done()
		f()
	}()
	inner.Add(1)
	go func() {
		defer inner.Done()
		f()
	}()
	inner.Wait()
}

// The group is handed to a helper between the go statement and the Add:
// what the helper does is unknown.
func withHelper(register func(*sync.WaitGroup), f func()) {
	var wg sync.WaitGroup
	go func() {
		defer wg.Done()
		f()
	}()
	register(&wg)
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
	wg.Wait()
}

// A goroutine whose Done runs in a loop cannot be counted: silent.
func drainAll(chs []chan int) {
	var wg sync.WaitGroup
	go func() {
		for range chs {
			wg.Done()
		}
	}()
	wg.Add(len(chs))
	wg.Wait()
}

// An unknown group type (an interface) and a group from a call.
type group interface {
	Add(int)
	Done()
	Wait()
}

func viaInterface(g group, f func()) {
	go func() {
		defer g.Done()
		f()
	}()
	g.Add(1)
	g.Wait()
}

// A new group per iteration, counted before its goroutine.
func perBatch(batches [][]int, f func(int)) {
	for _, b := range batches {
		var wg sync.WaitGroup
		for _, x := range b {
			wg.Add(1)
			go func(x int) {
				defer wg.Done()
				f(x)
			}(x)
		}
		wg.Wait()
	}
}

// The caller added for this goroutine; the Add here counts the next one,
// which it starts right after.
type pool struct{ wg sync.WaitGroup }

func (p *pool) loop()   { defer p.wg.Done() }
func (p *pool) reaper() { defer p.wg.Done() }

func (p *pool) startLocked() {
	p.wg.Add(1)
	go p.loop()
	p.wg.Add(1)
	go p.reaper()
}
