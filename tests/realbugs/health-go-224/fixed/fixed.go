// Upstream: https://github.com/hellofresh/health-go/issues/224
// Project: hellofresh/health-go
// Fix: resCh is buffered with size 1 (the reporter's patch), so the check
// goroutine can always deliver its result and exit.
package fixed

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
		resCh := make(chan error, 1)
		go func(c Config) {
			defer close(resCh)
			resCh <- c.Check(ctx)
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
