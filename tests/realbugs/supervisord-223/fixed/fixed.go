// Upstream: https://github.com/ochinchina/supervisord/issues/223
// Project: ochinchina/supervisord
// Fix: as proposed in the issue, the callback takes cond.L before Signal and
// the waiter waits on a predicate, so the signal cannot be lost.
package fixed

import "sync"

type Process struct {
	name string
}

func (p *Process) Start(finishCb func()) {
	go func() {
		finishCb()
	}()
}

type Supervisor struct {
	procs map[string]*Process
}

func (s *Supervisor) startProgram(name string) {
	proc := s.procs[name]
	cond := sync.NewCond(&sync.Mutex{})
	started := false
	cond.L.Lock()
	defer cond.L.Unlock()
	proc.Start(func() {
		cond.L.Lock()
		started = true
		cond.Signal()
		cond.L.Unlock()
	})
	for !started {
		cond.Wait()
	}
}
