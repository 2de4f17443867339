package fix

import "time"

// GD502: each call leaks a ticker that can never be stopped; the fix makes
// a ticker and stops it when the function returns.
func poll(done <-chan struct{}, check func() bool) {
	for range time.Tick(500 * time.Millisecond) {
		if check() {
			return
		}
	}
}

func watch(done <-chan struct{}, tick func()) {
	heartbeat := time.Tick(2 * time.Second)
	for {
		select {
		case <-heartbeat:
			tick()
		case <-done:
			return
		}
	}
}

// A duration that may be zero: time.Tick returns nil there, while
// time.NewTicker would panic, so this one keeps its finding.
func every(d time.Duration, check func() bool) {
	for range time.Tick(d) {
		if check() {
			return
		}
	}
}
