package func_value

// The counterpart goroutine runs a function value it was given: the locks
// it takes are those of the func literals the package passes for it
// (errgroup#6: a task given to Go calls Go, which locks the group).

import "sync"

type Group struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

func (g *Group) Wait() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Wait() // want "this Wait on g.wg waits while holding g.mu .* the goroutine that calls Done .* must lock g.mu first on some paths"
	return g.err
}

func (g *Group) Go(f func() error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.err = err
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

// The fixed twin waits before it locks.
type Group2 struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

func (g *Group2) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

func (g *Group2) Go(f func() error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.err = err
		}
	}()
}

func daemon2(work <-chan func() error) error {
	g := &Group2{}
	g.Go(func() error {
		for w := range work {
			g.Go(w)
		}
		return nil
	})
	return g.Wait()
}

// Look-alike: the tasks the package passes take no lock of the group.
type Runner struct {
	wg sync.WaitGroup
	mu sync.Mutex
	n  int
}

func (r *Runner) Wait() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.wg.Wait()
}

func (r *Runner) Run(f func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		f()
	}()
}

func use(r *Runner, out chan<- int) {
	r.Run(func() { out <- 1 })
	r.Wait()
}
