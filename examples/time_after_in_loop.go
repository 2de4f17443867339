package darkpatterns

// Pattern: time.After in a select loop (seed, chapter 2).
// Every iteration creates a new timer. Before Go 1.23 (this module says
// go 1.21) each timer lives until it fires, so a busy loop with a long
// timeout accumulates timers and memory. How much depends on how often the
// other case fires, which the code rarely shows: godark reports it at low
// confidence (`godark check --confidence low`).
// Fix: one time.NewTimer outside the loop, Reset per iteration.

import "time"

func consume(in <-chan int) int {
	n := 0
	for {
		select {
		case <-in:
			n++
		case <-time.After(time.Minute): // GD501 (low)
			return n
		}
	}
}

func consumeFixed(in <-chan int) int {
	n := 0
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-in:
			n++
			if !t.Stop() {
				<-t.C
			}
			t.Reset(time.Minute)
		case <-t.C:
			return n
		}
	}
}
