package poller

import "time"

// A background loop woken only by a wake-up signal (a chan bool with a
// buffer of one) or its timer (nats-streaming's filestore background
// tasks): a timer is abandoned about as often as one fires, so only a few
// are ever pending: the message says so.
type store struct {
	done chan struct{}
	wake chan bool
}

func (s *store) background() {
	for {
		select {
		case <-s.done:
			return
		case <-s.wake:
		case <-time.After(time.Second): // want "go.mod says go 1.21: each timer lives until it fires.*the other cases are wake-up signals.*\\[low confidence\\]"
		}
	}
}

// Work items arrive at the rate of the traffic: every item abandons a
// timer that lives for the whole timeout (toxiproxy's timeout toxic).
func pipe(in chan []byte, timeout time.Duration, out func([]byte)) {
	for {
		select {
		case <-time.After(timeout): // want "go.mod says go 1.21: each timer lives until it fires, so memory grows with the iteration rate \\(use one time.NewTimer and Reset it\\) \\[low confidence\\]$"
			return
		case b := <-in:
			out(b)
		}
	}
}
