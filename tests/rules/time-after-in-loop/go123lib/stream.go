package stream

import "time"

// From Go 1.23 an abandoned timer is collected, but only when the main
// module also says go >= 1.23: reported at low confidence in a library.
func Forward(in <-chan []byte, out chan<- []byte, idle time.Duration) {
	for {
		select {
		case b := <-in:
			out <- b
		case <-time.After(idle): // want "go.mod says go 1.23, so when the main module also says go >= 1.23 an abandoned timer is collected"
			close(out)
			return
		}
	}
}

// Silent: every other case returns.
func First(in <-chan []byte, d time.Duration) []byte {
	for {
		select {
		case b := <-in:
			return b
		case <-time.After(d):
			return nil
		}
	}
}
