package wgdone

import "sync"

// The workers never say they are done.
type pool struct {
	wg   sync.WaitGroup
	jobs chan func()
}

func (p *pool) start(n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			for job := range p.jobs {
				job()
			}
		}()
	}
}

func (p *pool) close() {
	close(p.jobs)
	p.wg.Wait() // want "p.wg.Wait blocks forever: pool.wg is added to, but nothing in the package ever calls Done on it"
}

// The fixed twin.
type fixedPool struct {
	wg   sync.WaitGroup
	jobs chan func()
}

func (p *fixedPool) start(n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for job := range p.jobs {
				job()
			}
		}()
	}
}

func (p *fixedPool) close() {
	close(p.jobs)
	p.wg.Wait()
}

// Look-alikes: WaitGroup.Go (it calls Done), the address handed to a
// worker that calls Done, an exported field, a Wait with no Add.
type goPool struct{ wg sync.WaitGroup }

func (p *goPool) run(f func()) { p.wg.Go(f) }
func (p *goPool) wait()        { p.wg.Wait() }

type handed struct{ wg sync.WaitGroup }

func (h *handed) run() {
	h.wg.Add(1)
	go worker(&h.wg)
	h.wg.Wait()
}

func worker(wg *sync.WaitGroup) { defer wg.Done() }

type Exported struct{ WG sync.WaitGroup }

func (e *Exported) run() { e.WG.Add(1); e.WG.Wait() }

type idle struct{ wg sync.WaitGroup }

func (i *idle) wait() { i.wg.Wait() }

// Add(val) with a variable: Done is Add(-1) (vitess's requestsWaiter).
type waiter struct{ wg sync.WaitGroup }

func (r *waiter) add(val int) { r.wg.Add(val) }
func (r *waiter) done()       { r.add(-1) }
func (r *waiter) wait()       { r.wg.Add(1); r.wg.Wait() }
