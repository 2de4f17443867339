package time_after_in_loop

import "time"

// A package-level function named After.
func After(d time.Duration) <-chan time.Time { return nil }

type Clock interface {
	After(d time.Duration) <-chan time.Time
}

func local(in <-chan int, clock Clock) {
	for {
		select {
		case v := <-in:
			_ = process(v)
		case <-After(time.Second):
		case <-clock.After(time.Second):
		}
	}
}

type fakeTime struct{}

func (fakeTime) After(time.Duration) <-chan time.Time { return nil }

// A local variable shadowing the package name.
func shadowed(in <-chan int) {
	time := fakeTime{}
	for {
		select {
		case v := <-in:
			_ = process(v)
		case <-time.After(1):
		}
	}
}
