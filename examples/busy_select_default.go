package darkpatterns

// Pattern: select with an empty default in a loop (seed, 4.3).
// The loop never blocks: it polls the channels as fast as it can and burns a
// whole CPU. runtime.Gosched() in the default does not fix it: it yields the
// processor but the goroutine is immediately runnable again, so it still
// spins.
// Fix: drop the default so the select blocks until a case is ready.

import "runtime"

func drainSpinning(in <-chan int, done <-chan struct{}) (sum int) {
	for {
		select {
		case v := <-in:
			sum += v
		case <-done:
			return sum
		default: // GD101: still a busy loop
			runtime.Gosched()
		}
	}
}

func drainBlocking(in <-chan int, done <-chan struct{}) (sum int) {
	for {
		select {
		case v := <-in:
			sum += v
		case <-done:
			return sum
		}
	}
}
