// Upstream: https://github.com/neilotoole/errgroup/issues/6
// Project: neilotoole/errgroup
// Bug: Wait takes g.mu and then waits on the WaitGroup while still holding
// it. A goroutine started with Go that itself calls Go (to start workers)
// blocks on g.mu, so it never finishes, and Wait never returns.
// Kind: deadlock
// Want: GD406
package errgroup6

import "sync"

type Group struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	errOnce sync.Once
	err     error
}

func (g *Group) Wait() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Wait() // BUG: waits for goroutines that need g.mu to finish
	return g.err
}

func (g *Group) Go(f func() error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() { g.err = err })
		}
	}()
}

// daemon: goroutine A periodically starts workers on the same group while
// the main goroutine calls Wait at shutdown.
func daemon(work <-chan func() error) error {
	g := &Group{}
	g.Go(func() error {
		for w := range work {
			g.Go(w)
		}
		return nil
	})
	return g.Wait()
}
