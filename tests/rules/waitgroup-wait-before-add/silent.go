package waitgroup_wait_before_add

import "sync"

// The normal order: add and start, then the closer.
func squares(xs []int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func(x int) {
			defer wg.Done()
			out <- x * x
		}(x)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Waiting for the previous batch at the top of each iteration, and for the
// last batch after the loop.
func inBatches(batches [][]func()) {
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Wait()
		for _, f := range b {
			wg.Add(1)
			go func(f func()) {
				defer wg.Done()
				f()
			}(f)
		}
	}
	wg.Wait()
}

// The same without the final Wait: the loop's own Wait is reached after
// an Add on the back edge, so the rule does not judge it.
func inBatchesNoFinal(batches [][]func()) {
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Wait()
		for _, f := range b {
			wg.Add(1)
			go func(f func()) {
				defer wg.Done()
				f()
			}(f)
		}
	}
}

// A deferred Wait is registered first and runs at the end.
func deferredWait(fs []func()) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, f := range fs {
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			f()
		}(f)
	}
}

// An early Wait (a no-op) and a real Wait after the goroutines.
func twoWaits(fs []func()) {
	var wg sync.WaitGroup
	wg.Wait()
	for _, f := range fs {
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			f()
		}(f)
	}
	wg.Wait()
}

// The waiter is held back by a channel until everything was added.
func gated(fs []func()) <-chan struct{} {
	ready := make(chan struct{})
	done := make(chan struct{})
	var wg sync.WaitGroup
	go func() {
		<-ready
		wg.Wait()
		close(done)
	}()
	for _, f := range fs {
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			f()
		}(f)
	}
	close(ready)
	return done
}

// An Add before the waiter: the counter is not zero when it starts.
func addFirst(fs []func()) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(len(fs))
	go func() {
		wg.Wait()
		close(done)
	}()
	for _, f := range fs {
		go func(f func()) {
			defer wg.Done()
			f()
		}(f)
	}
	return done
}

// A group handed in: its counter is the caller's business.
func waitFor(wg *sync.WaitGroup, fs []func()) {
	wg.Wait()
	for _, f := range fs {
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			f()
		}(f)
	}
}

// A group kept in a struct that outlives the call.
type server struct{ wg sync.WaitGroup }

func (s *server) restart(fs []func()) {
	s.wg.Wait()
	for _, f := range fs {
		s.wg.Add(1)
		go func(f func()) {
			defer s.wg.Done()
			f()
		}(f)
	}
}

// The group escapes to the caller, who waits.
func start(fs []func()) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Wait()
	for _, f := range fs {
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			f()
		}(f)
	}
	return &wg
}

// A waiter in a loop, after the previous iteration's Add.
func pipeline(stages [][]func()) {
	var wg sync.WaitGroup
	for _, st := range stages {
		for _, f := range st {
			wg.Add(1)
			go func(f func()) {
				defer wg.Done()
				f()
			}(f)
		}
		go func() {
			wg.Wait()
		}()
	}
}

// Goroutines that do not call Done on the group follow the Wait.
func unrelated(fs []func()) {
	var wg sync.WaitGroup
	wg.Wait()
	for _, f := range fs {
		go f()
	}
}

// The waiter waits on another group than the one the workers count.
func twoGroups(fs []func()) <-chan struct{} {
	done := make(chan struct{})
	var setup, workers sync.WaitGroup
	go func() {
		setup.Wait()
		close(done)
	}()
	for _, f := range fs {
		workers.Add(1)
		go func(f func()) {
			defer workers.Done()
			f()
		}(f)
	}
	workers.Wait()
	return done
}
