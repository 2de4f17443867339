// Upstream: https://github.com/projectdiscovery/ratelimit/issues/19
// Project: projectdiscovery/ratelimit
// Fix: as in later upstream versions, Limiter gets a Stop() that calls the
// stored cancelFunc, and run() also returns when the caller's context ends.
// Beyond upstream: Take also gives up once the limiter is stopped (upstream's
// Take still blocks forever after Stop, which godark GD109 reports).
package fixed

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
			select {
			case <-limiter.ticker.C:
			case <-ctx.Done():
				return
			case <-limiter.ctx.Done():
				return
			}
			limiter.count = limiter.maxCount
		}
		select {
		case <-ctx.Done():
			limiter.ticker.Stop()
			return
		case <-limiter.ctx.Done():
			limiter.ticker.Stop()
			return
		case limiter.tokens <- struct{}{}:
			limiter.count--
		}
	}
}

func (limiter *Limiter) Take() {
	select {
	case <-limiter.tokens:
	case <-limiter.ctx.Done():
	}
}

func (limiter *Limiter) Stop() {
	if limiter.cancelFunc != nil {
		limiter.cancelFunc()
	}
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
