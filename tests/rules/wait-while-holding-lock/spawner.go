package wait_while_locked

import "sync"

// The spawner locks and unlocks before its go statement, then sends: the
// worker did not exist while the spawner held the lock, so the spawner
// does not take it "first" (issue 11): silent.
type Pipe struct {
	mu sync.Mutex
	ch chan int
	n  int
}

func (p *Pipe) worker() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += <-p.ch
}

func (p *Pipe) Start() {
	p.mu.Lock()
	p.n = 0
	p.mu.Unlock()
	go p.worker()
	p.ch <- 1
}

// The spawner takes the lock after the go statement: the worker may hold
// it already and wait for the send, while the spawner waits for the lock.
type Pipe2 struct {
	mu sync.Mutex
	ch chan int
	n  int
}

func (p *Pipe2) worker() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += <-p.ch // want "this receive from p.ch waits while holding p.mu \\(locked at line 37\\), but the goroutine that sends on it \\(spawner.go:47\\) must lock p.mu first"
}

func (p *Pipe2) Start() {
	go p.worker()
	p.mu.Lock()
	p.n = 0
	p.mu.Unlock()
	p.ch <- 1
}
