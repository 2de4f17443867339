package time_tick_leak

import clock "time"

// The time package under another name.
func pollAliased(done func() bool) {
	for range clock.Tick(clock.Second) { // want "time.Tick in a function that returns"
		if done() {
			break
		}
	}
}
