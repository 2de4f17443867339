package darkpatterns

// Pattern: closing a channel twice (seed, chapter 1).
// The second close panics with "close of closed channel".
// Fix: close once, in the one goroutine that owns the sending side, or guard
// with sync.Once.

import "sync"

func finish(results chan int, err error) {
	if err != nil {
		close(results)
	}
	close(results) // GD202: on the err != nil path this is the second close
}

type stopper struct {
	once sync.Once
	done chan struct{}
}

func (s *stopper) Stop() {
	s.once.Do(func() { close(s.done) })
}
