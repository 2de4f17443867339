package time_tick_leak

import (
	"testing"
	"time"
)

// A test process is short-lived: reported at low confidence only.
func TestPoll(t *testing.T) {
	for range time.Tick(time.Millisecond) { // want "time.Tick in a function that returns"
		return
	}
}
