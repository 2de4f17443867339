package unsynchronized_write

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

type pinCount struct {
	Queued, Pinning, Pinned, Total int
}

func fetchCount(ctx context.Context, status string) int { return len(status) }

// Each goroutine captures its own status and the switch on it picks the
// field it writes: no two goroutines write the same field.
func countByStatus(ctx context.Context) (*pinCount, error) {
	statuses := []string{"queued", "pinning", "pinned"}
	g, ctx := errgroup.WithContext(ctx)
	pc := &pinCount{}
	for _, s := range statuses {
		status := s
		g.Go(func() error {
			n := fetchCount(ctx, status)
			switch status {
			case "queued":
				pc.Queued = n
			case "pinning":
				pc.Pinning = n
			case "pinned":
				pc.Pinned = n
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return pc, nil
}

// The same with a parameter of the goroutine's literal.
func countByStatusParam(statuses []string) *pinCount {
	var wg sync.WaitGroup
	pc := &pinCount{}
	for _, s := range statuses {
		wg.Add(1)
		go func(status string) {
			defer wg.Done()
			switch status {
			case "queued":
				pc.Queued = len(status)
			case "pinning":
				pc.Pinning = len(status)
			}
		}(s)
	}
	wg.Wait()
	return pc
}

// Look-alike: every goroutine also adds to one field, with no switch.
func countTotal(ctx context.Context, statuses []string) int {
	g, ctx := errgroup.WithContext(ctx)
	pc := &pinCount{}
	for _, s := range statuses {
		status := s
		g.Go(func() error {
			pc.Total += fetchCount(ctx, status) // want "pc.Total is written by every goroutine the loop starts"
			return nil
		})
	}
	_ = g.Wait()
	return pc.Total
}

// Look-alike: two cases write the same field.
func countOverlap(ctx context.Context, statuses []string) int {
	g, ctx := errgroup.WithContext(ctx)
	pc := &pinCount{}
	for _, s := range statuses {
		status := s
		g.Go(func() error {
			switch status {
			case "queued":
				pc.Queued = fetchCount(ctx, status) // want "pc.Queued is written by every goroutine the loop starts"
			case "pinning", "pinned":
				pc.Queued = 0
			}
			return nil
		})
	}
	_ = g.Wait()
	return pc.Queued
}

// Look-alike: the switch is on a variable the goroutines share.
func countShared(ctx context.Context, statuses []string, mode string) int {
	g, ctx := errgroup.WithContext(ctx)
	pc := &pinCount{}
	for _, s := range statuses {
		status := s
		g.Go(func() error {
			switch mode {
			case "queued":
				pc.Queued = fetchCount(ctx, status) // want "pc.Queued is written by every goroutine the loop starts"
			case "pinning":
				pc.Pinning = fetchCount(ctx, status)
			}
			return nil
		})
	}
	_ = g.Wait()
	return pc.Queued
}
