package selfsend

import (
	"context"
	"net/http"
	"time"
)

// --- the bug: the only receiver sends on its own channel ---

// statsview's shape: Start's loop receives Stop's signal, then calls Stop,
// which sends on done again and waits for Start, which is itself.
type viewManager struct {
	srv  *http.Server
	done chan struct{}
}

func newViewManager() *viewManager {
	return &viewManager{srv: &http.Server{}, done: make(chan struct{})}
}

func (vm *viewManager) Start() {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
		case <-vm.done:
			vm.Stop() // want "vm.Stop\\(\\) sends on vm.done \\(Stop, line 36\\), which is unbuffered and received only by this goroutine \\(Start\\): the send blocks forever$"
			return
		}
	}
}

func (vm *viewManager) Stop() {
	vm.done <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	vm.srv.Shutdown(ctx)
}

// A loop started once by the constructor re-queues a request on its own
// unbuffered queue.
type request struct {
	retry bool
	reply chan int
}

type server struct {
	reqs chan request
	quit chan struct{}
}

func newServer() *server {
	s := &server{reqs: make(chan request), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *server) Do(r request) int {
	s.reqs <- r
	return <-r.reply
}

func (s *server) Close() { close(s.quit) }

func (s *server) loop() {
	for {
		select {
		case r := <-s.reqs:
			s.handle(r) // want "s.handle\\(r\\) sends on s.reqs \\(handle, line 81\\)"
		case <-s.quit:
			return
		}
	}
}

func (s *server) handle(r request) {
	if r.retry {
		r.retry = false
		s.reqs <- r
		return
	}
	r.reply <- 1
}

// A range loop puts a job back on the channel it ranges over.
type job struct{ again bool }

type pool struct{ jobs chan job }

func newPool() *pool {
	p := &pool{jobs: make(chan job)}
	go p.work()
	return p
}

func (p *pool) Submit(j job) { p.jobs <- j }

func (p *pool) work() {
	for j := range p.jobs {
		if j.again {
			j.again = false
			p.jobs <- j // want "this send on p.jobs blocks forever: the channel is unbuffered and its only receiver is this goroutine \\(work\\)$"
		}
	}
}

// Two calls deep, and through a defer.
type agent struct{ stop chan bool }

func newAgent() *agent {
	a := &agent{stop: make(chan bool)}
	go a.run()
	return a
}

func (a *agent) run() {
	defer a.shutdown() // want "a.shutdown\\(\\) sends on a.stop \\(Stop, line 125\\)"
	<-a.stop
}

func (a *agent) shutdown() { a.Stop() }

func (a *agent) Stop() { a.stop <- true }

// The loop is a func literal the constructor starts; it closes the
// connection through Close, which signals the loop itself.
type conn struct{ closing chan struct{} }

func newConn() *conn {
	c := &conn{closing: make(chan struct{})}
	go func() {
		for {
			select {
			case <-c.closing:
				c.Close() // want "c.Close\\(\\) sends on c.closing \\(Close, line 145\\), which is unbuffered and received only by this goroutine \\(started at line 133\\)"
				return
			}
		}
	}()
	return c
}

func (c *conn) Close() { c.closing <- struct{}{} }

// A goroutine counting down puts the value back on the channel it ranges
// over, and it is the only one ranging.
type literal struct{ ch chan int }

func newLiteral() *literal {
	l := &literal{ch: make(chan int)}
	go func() {
		for v := range l.ch {
			if v > 0 {
				l.ch <- v - 1 // want "this send on l.ch blocks forever: the channel is unbuffered and its only receiver is this goroutine \\(started at line 153\\)$"
			}
		}
	}()
	return l
}
