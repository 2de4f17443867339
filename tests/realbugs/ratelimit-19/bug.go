// Upstream: https://github.com/projectdiscovery/ratelimit/issues/19
// Project: projectdiscovery/ratelimit
// Bug: New derives an internal context whose CancelFunc is stored in the
// Limiter but never called, and run() only watches that internal context.
// Once callers stop taking tokens, the run goroutine (created by New) stays
// blocked in its select forever.
// Kind: leak
// Want: GD508
package ratelimit19

import (
	"context"
	"time"
)

type Limiter struct {
	maxCount   uint
	count      uint
	ticker     *time.Ticker
	tokens     chan struct{}
	ctx        context.Context
	cancelFunc context.CancelFunc
}

func (limiter *Limiter) run(ctx context.Context) {
	for {
		if limiter.count == 0 {
			<-limiter.ticker.C
			limiter.count = limiter.maxCount
		}
		select {
		case <-ctx.Done(): // BUG: the internal context is never cancelled
			limiter.ticker.Stop()
			return
		case limiter.tokens <- struct{}{}:
			limiter.count--
		}
	}
}

func (limiter *Limiter) Take() {
	<-limiter.tokens
}

func New(ctx context.Context, max uint, duration time.Duration) *Limiter {
	internalctx, cancel := context.WithCancel(context.TODO())
	limiter := &Limiter{
		maxCount:   max,
		count:      max,
		ticker:     time.NewTicker(duration),
		tokens:     make(chan struct{}),
		ctx:        ctx,
		cancelFunc: cancel,
	}
	go limiter.run(internalctx)
	return limiter
}
