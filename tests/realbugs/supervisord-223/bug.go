// Upstream: https://github.com/ochinchina/supervisord/issues/223
// Project: ochinchina/supervisord
// Bug: the supervisor locks cond.L, starts the process with a callback that
// calls cond.Signal() without taking cond.L, then calls cond.Wait(). The
// callback can Signal before Wait has registered, the signal is lost, and
// the starting goroutine waits forever.
// Kind: deadlock
// Want: GD408
package supervisord223

import "sync"

type Process struct {
	name string
}

// Start runs the program in the background and calls finishCb once it has
// been started.
func (p *Process) Start(finishCb func()) {
	go func() {
		// ... fork/exec ...
		finishCb()
	}()
}

type Supervisor struct {
	procs map[string]*Process
}

func (s *Supervisor) startProgram(name string) {
	proc := s.procs[name]
	cond := sync.NewCond(&sync.Mutex{})
	cond.L.Lock()
	defer cond.L.Unlock()
	proc.Start(func() {
		cond.Signal()
	})
	cond.Wait() // BUG: Signal may already have happened; nobody signals again
}
