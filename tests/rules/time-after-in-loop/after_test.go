package time_after_in_loop

import (
	"testing"
	"time"
)

// In a test the process is short-lived: low confidence only.
func TestConsume(t *testing.T) {
	events := make(chan Event)
	done := make(chan bool)
	go func() {
		for {
			select {
			case e := <-events:
				handle(e)
			case <-time.After(time.Second): // want "abandons a pending timer"
				done <- true
				return
			}
		}
	}()
	<-done
}

// Silent: a small counted loop can leave at most a few timers pending.
func TestTwoResults(t *testing.T) {
	errc := make(chan error, 2)
	go func() { errc <- nil }()
	go func() { errc <- nil }()
	for i := 0; i < 2; i++ {
		select {
		case err := <-errc:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("deadlock")
		}
	}
}
