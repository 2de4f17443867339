// Package alias: the sync package imported under another name.
package alias

import gosync "sync"

type pool struct {
	wg   gosync.WaitGroup
	jobs chan func()
}

func (p *pool) start(n int) {
	for i := 0; i < n; i++ {
		go func() {
			p.wg.Add(1) // want "p.wg.Add called inside the goroutine it counts"
			defer p.wg.Done()
			for job := range p.jobs {
				job()
			}
		}()
	}
}

func (p *pool) stop() {
	close(p.jobs)
	p.wg.Wait()
}
