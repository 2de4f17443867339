// Upstream: https://github.com/hellofresh/health-go/issues/224
// Project: hellofresh/health-go
// Bug: each check runs in a goroutine that reports on the unbuffered resCh.
// When the check timeout fires first, Measure moves on and nobody listens on
// resCh, so the check goroutine blocks on the send forever.
// Kind: leak
// Want: GD103
package healthgo224

import (
	"context"
	"errors"
	"time"
)

type Config struct {
	Name    string
	Timeout time.Duration
	Check   func(ctx context.Context) error
}

type Health struct {
	checks map[string]Config
}

func (h *Health) Measure(ctx context.Context) map[string]error {
	failures := map[string]error{}
	for _, c := range h.checks {
		resCh := make(chan error)
		go func(c Config) {
			defer close(resCh)
			resCh <- c.Check(ctx) // BUG: nobody receives after the timeout case
		}(c)
		select {
		case <-time.After(c.Timeout):
			failures[c.Name] = errors.New("timeout during health check")
		case res := <-resCh:
			if res != nil {
				failures[c.Name] = res
			}
		}
	}
	return failures
}
