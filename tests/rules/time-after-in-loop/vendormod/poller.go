package vendored

import "time"

// vendor.mod (no go.mod) says go 1.21: the old timers.
func Watch(updates <-chan int, report func(int)) {
	for {
		select {
		case s := <-updates:
			report(s)
		case <-time.After(time.Minute): // want "vendor.mod says go 1.21: each timer lives until it fires"
			report(0)
		}
	}
}
