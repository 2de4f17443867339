package double_lock

// Issue 14: a double Lock across calls, from the summary of a helper that
// returns holding the lock (lock+net): called twice, called while the lock
// is held, or followed by a Lock. Then the look-alikes, silent.

import "sync"

type Pool struct {
	mu   sync.Mutex
	free []int
	n    int
}

// grab returns with p.mu held; the caller must unlock it.
func (p *Pool) grab() int {
	p.mu.Lock()
	p.n++
	return p.n
}

// grabIf returns with p.mu held only when there is something to take.
func (p *Pool) grabIf() bool {
	p.mu.Lock()
	if len(p.free) == 0 {
		p.mu.Unlock()
		return false
	}
	return true
}

func (p *Pool) Twice() int {
	a := p.grab()
	b := p.grab() // want "p.grab locks it again, and p.mu is already held here \\(locked at line 33\\)"
	p.mu.Unlock()
	return a + b
}

func (p *Pool) WhileHeld() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.grab() // want "p.grab locks it again, and p.mu is already held here \\(locked at line 40\\)"
}

func (p *Pool) ThenLock() {
	p.grab()
	p.mu.Lock() // want "p.mu is locked again while this goroutine already holds it \\(locked at line 46\\)"
	p.n = 0
	p.mu.Unlock()
}

// ---- look-alikes that must stay silent ----

// Released between the two calls.
func (p *Pool) TwiceFixed() int {
	a := p.grab()
	p.mu.Unlock()
	b := p.grab()
	p.mu.Unlock()
	return a + b
}

// grabIf holds the lock on one path only: the second call is judged by the
// branch that knows.
func (p *Pool) Take() int {
	if !p.grabIf() {
		return -1
	}
	x := p.free[0]
	p.free = p.free[1:]
	p.mu.Unlock()
	return x
}

// Locking by a parameter.
func (p *Pool) count(lock bool) int {
	if lock {
		p.mu.Lock()
		defer p.mu.Unlock()
	}
	return p.n
}

func (p *Pool) Sum() int {
	p.grab()
	defer p.mu.Unlock()
	return p.count(false)
}

// A helper that releases the lock it was handed.
func (p *Pool) unlockAndCount() int {
	n := p.n
	p.mu.Unlock()
	return n
}

func (p *Pool) Cycle() int {
	p.grab()
	a := p.unlockAndCount()
	p.grab()
	return a + p.unlockAndCount()
}
