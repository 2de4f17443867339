package darkpatterns

// Pattern: closing a channel twice (seed, chapter 1).
// The second close panics with "close of closed channel". The usual cause
// is a copy-paste slip (the second close meant another channel) or two
// owners that both think they must close.
// Fix: close once, in the one goroutine that owns the sending side, or guard
// with sync.Once.
// A close inside an `if` followed by an unconditional close (finishMaybeTwice
// below) is found on the control flow graph: every path from the first close
// reaches the second.

import "sync"

func finish(results chan int, errs chan error) {
	close(results)
	close(results) // GD202: meant close(errs)
}

func finishMaybeTwice(results chan int, err error) {
	if err != nil {
		close(results)
	}
	close(results) // GD202: closed twice when err != nil
}

type stopper struct {
	once sync.Once
	done chan struct{}
}

func (s *stopper) Stop() {
	s.once.Do(func() { close(s.done) })
}
