package time_after_in_loop

import tm "time"

// The time package under another name is still found.
func aliased(in <-chan int) {
	for {
		select {
		case v := <-in:
			_ = process(v)
		case <-tm.After(tm.Second): // want "tm.After\\(tm.Second\\) in a select"
		}
	}
}
