package unsynchronized_write

// Goroutines started by a call rather than a go statement (issue 15):
// errgroup's and sync.WaitGroup's Go, and functions of the package that
// run a func parameter in a new goroutine (a worker pool's Run, a group's
// Go), with the func literal's calls of local closures followed.

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

// pool runs do for every item from n worker goroutines, and waits.
type pool struct{ items []string }

func (p *pool) Run(n int, do func(string) error) {
	ch := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range ch {
				_ = do(it)
			}
		}()
	}
	for _, it := range p.items {
		ch <- it
	}
	close(ch)
	wg.Wait()
}

// tasks is errgroup's shape: Go starts one goroutine per call.
type tasks struct{ wg sync.WaitGroup }

func (t *tasks) Go(f func() error) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		_ = f()
	}()
}

func (t *tasks) Wait() { t.wg.Wait() }

// The workers all write count (through the local closure record).
func PoolCount(p *pool) int {
	count := 0
	record := func() {
		count++ // want "count is written by the func literal that p.Run \\(line 56\\) runs in several goroutines at once, with no lock"
	}
	p.Run(4, func(s string) error {
		record()
		return nil
	})
	return count
}

// Fixed: the closure locks.
func PoolCountLocked(p *pool) int {
	var mu sync.Mutex
	count := 0
	record := func() {
		mu.Lock()
		defer mu.Unlock()
		count++
	}
	p.Run(4, func(s string) error {
		record()
		return nil
	})
	return count
}

// Every goroutine the loop starts through Go appends to paths.
func Collect(names []string) []string {
	var paths []string
	t := new(tasks)
	for _, n := range names {
		t.Go(func() error {
			paths = append(paths, n) // want "paths is written by every goroutine the loop starts at line 84, with no lock"
			return nil
		})
	}
	t.Wait()
	return paths
}

// Fixed: each goroutine fills its own element.
func CollectIndexed(names []string) []string {
	paths := make([]string, len(names))
	t := new(tasks)
	for i, n := range names {
		t.Go(func() error {
			paths[i] = n
			return nil
		})
	}
	t.Wait()
	return paths
}

// errgroup: the loop's goroutines all assign firstErr.
func FirstFailure(ctx context.Context, urls []string, get func(context.Context, string) error) error {
	var firstErr error
	g, ctx := errgroup.WithContext(ctx)
	for _, u := range urls {
		g.Go(func() error {
			if err := get(ctx, u); err != nil {
				firstErr = err // want "firstErr is written by every goroutine the loop starts at line 112, with no lock"
			}
			return nil
		})
	}
	_ = g.Wait()
	return firstErr
}

// sync.WaitGroup.Go (Go 1.25): the spawner reads total before Wait.
func Sum(parts [][]int) int {
	var wg sync.WaitGroup
	total := 0
	wg.Go(func() {
		for _, p := range parts {
			for _, v := range p {
				total += v
			}
		}
	})
	if total > 100 { // want "total is written by the goroutine started at line 127 \\(line 130\\) and read here by the spawner after the spawn"
		return -1
	}
	wg.Wait()
	return total
}

// Look-alike: a retry loop that takes each try's result before the next
// one runs the tries one at a time, and waits for the last.
func retry(times int, fn func() error) error {
	errc := make(chan error, 1)
	var err error
	for i := 0; i < times; i++ {
		go func() { errc <- fn() }()
		if err = <-errc; err == nil {
			return nil
		}
	}
	return err
}

func Tries() int {
	tries := 0
	_ = retry(3, func() error {
		tries++
		return nil
	})
	return tries
}

// Look-alike: a queue whose goroutine waits for the previous task's turn
// before running the next: the tasks run one at a time.
type queue struct {
	mu   sync.Mutex
	last chan struct{}
}

func (q *queue) Append(f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	prev, done := q.last, make(chan struct{})
	q.last = done
	go func() {
		if prev != nil {
			<-prev
		}
		f()
		close(done)
	}()
}

func Serial(q *queue) {
	step := 1
	q.Append(func() { step = 2 })
	q.Append(func() { step = 3 })
}

// Look-alike: only the single-worker run assigns all.
func Merge(parallel int, run func() int) int {
	var mu sync.Mutex
	all := 0
	var wg sync.WaitGroup
	for i := 0; i < parallel; i++ {
		wg.Go(func() {
			r := run()
			if parallel == 1 {
				all = r
			} else {
				mu.Lock()
				all += r
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return all
}

// Look-alike: a client that runs the callback in a goroutine per attempt
// but joins it before returning (in every select case), called in a loop
// over addresses: the attempts run one after another (seaweedfs's
// withFilerClient).
type filerClient struct{ addrs []string }

func (c *filerClient) call(addr string, fn func(context.Context) error) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		<-done
		return ctx.Err()
	}
}

func (c *filerClient) with(fn func(context.Context) error) error {
	var err error
	for _, addr := range c.addrs {
		if err = c.call(addr, fn); err == nil {
			return nil
		}
	}
	return err
}

func LookupEntry(c *filerClient) (string, error) {
	var entry string
	err := c.with(func(ctx context.Context) error {
		entry = "found"
		return nil
	})
	return entry, err
}

// The same client with a call that does not join: the attempts overlap.
func (c *filerClient) fire(addr string, fn func(context.Context) error) {
	go func() { _ = fn(context.Background()) }()
}

func (c *filerClient) fireAll(fn func(context.Context) error) {
	for _, addr := range c.addrs {
		c.fire(addr, fn)
	}
}

func CountAttempts(c *filerClient) int {
	n := 0
	c.fireAll(func(ctx context.Context) error {
		n++ // want "n is written by the func literal that c.fireAll .* runs in several goroutines at once"
		return nil
	})
	return n // want "n is written by the goroutine started at line 264 .* and read here by the spawner after the spawn"
}
