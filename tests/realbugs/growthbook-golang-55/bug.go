// Upstream: https://github.com/growthbook/growthbook-golang/issues/55
// Project: growthbook/growthbook-golang
// Bug: Start loads the features, sets ds.ready and starts startPolling,
// which sets `ds.ready = false` when its context is cancelled. Close reads
// ds.ready with no lock to decide whether to cancel: a Close while the
// poller stops (or any later Close) races with the poller's write.
// Kind: race
// Want: GD601
package growthbookgolang55

import (
	"context"
	"errors"
	"sync"
	"time"
)

// PollDataSource polls the GrowthBook API for features.
type PollDataSource struct {
	interval time.Duration
	ready    bool
	cancel   context.CancelFunc
	mu       sync.Mutex
	features map[string]string
}

func NewPollDataSource(interval time.Duration) *PollDataSource {
	return &PollDataSource{interval: interval}
}

func (ds *PollDataSource) Start(ctx context.Context) error {
	ctx, ds.cancel = context.WithCancel(ctx)
	if err := ds.loadData(ctx); err != nil {
		return err
	}
	ds.ready = true
	go ds.startPolling(ctx)
	return nil
}

func (ds *PollDataSource) Close() error {
	if !ds.ready { // BUG: startPolling writes ds.ready when its context is done
		return errors.New("datasource is not ready")
	}
	ds.cancel()
	return nil
}

func (ds *PollDataSource) startPolling(ctx context.Context) {
	timer := time.NewTicker(ds.interval)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			ds.ready = false
			return
		case <-timer.C:
			if err := ds.loadData(ctx); errors.Is(err, context.Canceled) {
				return
			}
		}
	}
}

func (ds *PollDataSource) loadData(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ds.mu.Lock()
	ds.features = map[string]string{"feature": "on"}
	ds.mu.Unlock()
	return nil
}
