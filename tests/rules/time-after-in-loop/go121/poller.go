package poller

import "time"

type Status struct{ OK bool }

func check() Status { return Status{} }

// Polls until a status arrives or the service stays quiet for a minute.
func Watch(updates <-chan Status, report func(Status)) {
	for {
		select {
		case s := <-updates:
			report(s)
		case <-time.After(time.Minute): // want "go.mod says go 1.21: each timer lives until it fires"
			report(check())
		}
	}
}

// Silent: the timer is shared by the whole loop.
func WatchFor(updates <-chan Status, d time.Duration) []Status {
	var got []Status
	deadline := time.After(d)
	for {
		select {
		case s := <-updates:
			got = append(got, s)
		case <-deadline:
			return got
		}
	}
}
