package concurrent_map_write

// Goroutines started through errgroup's Go and through a function of the
// package that runs its func parameter in several goroutines.

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

func forEachShard(shards []string, f func(string) error) {
	var wg sync.WaitGroup
	for _, s := range shards {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			_ = f(s)
		}(s)
	}
	wg.Wait()
}

func SizesByShard(shards []string, size func(string) int) map[string]int {
	sizes := map[string]int{}
	forEachShard(shards, func(s string) error {
		sizes[s] = size(s) // want "map sizes is written by the func literal that forEachShard \\(line 27\\) runs in several goroutines at once, with no lock"
		return nil
	})
	return sizes
}

// Fixed: a mutex guards the map.
func SizesByShardLocked(shards []string, size func(string) int) map[string]int {
	var mu sync.Mutex
	sizes := map[string]int{}
	forEachShard(shards, func(s string) error {
		n := size(s)
		mu.Lock()
		sizes[s] = n
		mu.Unlock()
		return nil
	})
	return sizes
}

func Owners(ctx context.Context, keys []string, owner func(context.Context, string) (string, error)) map[string]string {
	out := map[string]string{}
	g, ctx := errgroup.WithContext(ctx)
	for _, k := range keys {
		g.Go(func() error {
			o, err := owner(ctx, k)
			out[k] = o // want "map out is written by every goroutine the loop starts at line 52, with no lock"
			return err
		})
	}
	_ = g.Wait()
	return out
}
