package darkpatterns

// Pattern: tickers that are never stopped (seed, chapter 2).
// Before Go 1.23 a ticker that is not stopped is never collected: time.Tick
// in a function called per request, or a NewTicker without Stop, leaks a
// runtime timer each call.
// Fix: t := time.NewTicker(d); defer t.Stop().

import "time"

func pollTick(stop <-chan struct{}) {
	for {
		select {
		case <-time.Tick(time.Second): // GD502 (and a new ticker per iteration)
		case <-stop:
			return
		}
	}
}

func pollTicker(stop <-chan struct{}) {
	t := time.NewTicker(time.Second) // GD503: never stopped
	for {
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}

func pollFixed(stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}
