package abandoned_sender

import (
	"context"
	"errors"
	"time"
)

// A channel made in each iteration of a loop: the next iteration receives
// from a new channel, so a timeout case that goes round the loop abandons
// this one (hellofresh/health-go#224). The sender's own deferred close,
// after its send, does not help the send.

type check struct {
	name    string
	timeout time.Duration
	run     func(ctx context.Context) error
}

func measure(ctx context.Context, checks []check) map[string]error {
	failures := map[string]error{}
	for _, c := range checks {
		resCh := make(chan error)
		go func(c check) {
			defer close(resCh)
			resCh <- c.run(ctx) // want "this send blocks forever when measure returns at line 37 after the `<-time.After\\(c.timeout\\)` case before receiving from resCh: the goroutine started at line 24 leaks$"
		}(c)
		select {
		case <-time.After(c.timeout):
			failures[c.name] = errors.New("timeout during health check")
		case res := <-resCh:
			if res != nil {
				failures[c.name] = res
			}
		}
	}
	return failures
}

// The same without the close.
func measureNoClose(ctx context.Context, checks []check) int {
	n := 0
	for _, c := range checks {
		resCh := make(chan error)
		go func() {
			resCh <- c.run(ctx) // want "this send blocks forever when measureNoClose returns at line 56 after the `<-ctx.Done\\(\\)` case"
		}()
		select {
		case <-ctx.Done():
		case err := <-resCh:
			if err != nil {
				n++
			}
		}
	}
	return n
}

// The fix (the reporter's patch): a buffer of one per channel, and one
// goroutine per channel, whatever the number of iterations.
func measureFixed(ctx context.Context, checks []check) map[string]error {
	failures := map[string]error{}
	for _, c := range checks {
		resCh := make(chan error, 1)
		go func(c check) {
			defer close(resCh)
			resCh <- c.run(ctx)
		}(c)
		select {
		case <-time.After(c.timeout):
			failures[c.name] = errors.New("timeout during health check")
		case res := <-resCh:
			if res != nil {
				failures[c.name] = res
			}
		}
	}
	return failures
}

// Look-alike: every iteration receives; nothing is abandoned.
func measureAll(ctx context.Context, checks []check) int {
	n := 0
	for _, c := range checks {
		resCh := make(chan error)
		go func() {
			defer close(resCh)
			resCh <- c.run(ctx)
		}()
		if err := <-resCh; err != nil {
			n++
		}
	}
	return n
}

// Look-alike: the sender selects on the context too.
func measureSelect(ctx context.Context, checks []check) int {
	n := 0
	for _, c := range checks {
		resCh := make(chan error)
		go func() {
			select {
			case resCh <- c.run(ctx):
			case <-ctx.Done():
			}
		}()
		select {
		case <-ctx.Done():
		case err := <-resCh:
			if err != nil {
				n++
			}
		}
	}
	return n
}

// Look-alike: the other case is made ready by a goroutine that sends on
// the channel too, only after the work whose failure the first one
// reports (client-go's watch decoder test): either the error or done,
// never both. Low confidence at most.
func encodeDecode(enc, dec func() error) error {
	for i := 0; i < 3; i++ {
		errc := make(chan error)
		go func() {
			if err := enc(); err != nil {
				errc <- err // want "this send blocks forever .*\\[low confidence\\]"
			}
		}()
		done := make(chan struct{})
		go func() {
			if err := dec(); err != nil {
				errc <- err // want "this send blocks forever .*\\[low confidence\\]"
				return
			}
			close(done)
		}()
		select {
		case err := <-errc:
			return err
		case <-done:
		}
	}
	return nil
}
