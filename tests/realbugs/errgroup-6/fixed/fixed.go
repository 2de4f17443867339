// Upstream: https://github.com/neilotoole/errgroup/issues/6
// Project: neilotoole/errgroup
// Fix: not an upstream patch (the issue is open); repair: Wait does not hold
// g.mu while waiting on the WaitGroup.
package fixed

import "sync"

type Group struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	errOnce sync.Once
	err     error
}

func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
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
