// Upstream: https://github.com/growthbook/growthbook-golang/issues/55
// Project: growthbook/growthbook-golang
// Fix: no upstream patch was read; minimal repair in the direction of the
// issue: ds.ready is read and written under ds.mu.
package fixed

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
	ds.mu.Lock()
	ds.ready = true
	ds.mu.Unlock()
	go ds.startPolling(ctx)
	return nil
}

func (ds *PollDataSource) Close() error {
	ds.mu.Lock()
	ready := ds.ready
	ds.mu.Unlock()
	if !ready {
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
			ds.mu.Lock()
			ds.ready = false
			ds.mu.Unlock()
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
