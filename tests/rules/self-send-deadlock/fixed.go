package selfsend

import (
	"context"
	"net/http"
	"time"
)

// --- the fixed twins: silent ---

// statsview's fix: Start returns when Stop signals it.
type viewManagerFixed struct {
	srv  *http.Server
	done chan struct{}
}

func newViewManagerFixed() *viewManagerFixed {
	return &viewManagerFixed{srv: &http.Server{}, done: make(chan struct{})}
}

func (vm *viewManagerFixed) Start() {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
		case <-vm.done:
			return
		}
	}
}

func (vm *viewManagerFixed) Stop() {
	vm.done <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	vm.srv.Shutdown(ctx)
}

// The re-queue does not wait: a select with a default.
type serverFixed struct {
	reqs chan request
	quit chan struct{}
}

func newServerFixed() *serverFixed {
	s := &serverFixed{reqs: make(chan request), quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *serverFixed) Close() { close(s.quit) }

func (s *serverFixed) loop() {
	for {
		select {
		case r := <-s.reqs:
			s.handle(r)
		case <-s.quit:
			return
		}
	}
}

func (s *serverFixed) handle(r request) {
	if r.retry {
		r.retry = false
		select {
		case s.reqs <- r:
		default:
			r.reply <- -1
		}
		return
	}
	r.reply <- 1
}

// The job is re-queued from a goroutine of its own.
type poolFixed struct{ jobs chan job }

func newPoolFixed() *poolFixed {
	p := &poolFixed{jobs: make(chan job)}
	go p.work()
	return p
}

func (p *poolFixed) work() {
	for j := range p.jobs {
		if j.again {
			j.again = false
			go func(j job) { p.jobs <- j }(j)
		}
	}
}

// Stop runs in a goroutine of its own.
type agentFixed struct{ stop chan bool }

func newAgentFixed() *agentFixed {
	a := &agentFixed{stop: make(chan bool)}
	go a.run()
	return a
}

func (a *agentFixed) run() {
	<-a.stop
	go a.Stop()
}

func (a *agentFixed) Stop() { a.stop <- true }
