package waitgroup_wait_before_add

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"context"
	"sync"
)

// The classic: the closer goroutine is started before the workers are
// added. It can close results at once; a worker then panics sending on a
// closed channel, or the reader stops early (Kubernetes/Docker shape).
func listAll(ctx context.Context, nodes []string, list func(context.Context, string) []string) []string {
	results := make(chan []string)
	var wg sync.WaitGroup
	go func() {
		wg.Wait() // want "wg.Wait in this goroutine can run before wg.Add \(line 21\) is called: the counter is still zero.*$"
		close(results)
	}()
	for _, n := range nodes {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			results <- list(ctx, n)
		}(n)
	}
	var all []string
	for r := range results {
		all = append(all, r...)
	}
	return all
}

// The same with the workers counted by one Add before the loop, and a
// deferred close in the waiter.
func fetchMetrics(srcs []func() int) <-chan int {
	out := make(chan int, len(srcs))
	wg := &sync.WaitGroup{}
	go func() {
		defer close(out)
		wg.Wait() // want "wg.Wait in this goroutine can run before wg.Add \(line 43\)"
	}()
	wg.Add(len(srcs))
	for _, s := range srcs {
		go func(s func() int) {
			defer wg.Done()
			out <- s()
		}(s)
	}
	return out
}

// A Wait placed before the spawn loop, none after: the function returns
// while the flushers still run (etcd-style shutdown helper).
func flushAll(shards []func() error) {
	var wg sync.WaitGroup
	wg.Wait() // want "wg.Wait runs before any wg.Add: the counter is zero, so it returns at once, and the goroutines counted later \(line 59\) are never waited for$"
	for _, s := range shards {
		wg.Add(1)
		go func(s func() error) {
			defer wg.Done()
			_ = s()
		}(s)
	}
}

// Workers as a same-package function taking the group.
func drain(wg *sync.WaitGroup, ch <-chan int) {
	defer wg.Done()
	for range ch {
	}
}

func drainAll(chs []chan int) chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	go func() {
		wg.Wait() // want "wg.Wait in this goroutine can run before wg.Add \(line 82\)"
		close(done)
	}()
	for _, ch := range chs {
		wg.Add(1)
		go drain(&wg, ch)
	}
	return done
}
