package handshake

import "errors"

// Every path of the loop receives the stop before the final send.
type worker struct {
	jobs chan int
	stop chan struct{}
	done chan struct{}
}

func newWorker() *worker {
	w := &worker{jobs: make(chan int), stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

func (w *worker) run() {
	defer func() { w.done <- struct{}{} }()
	for {
		select {
		case j := <-w.jobs:
			_ = j
		case <-w.stop:
			return
		}
	}
}

func (w *worker) Add(j int) { w.jobs <- j }

func (w *worker) Stop() {
	w.stop <- struct{}{}
	<-w.done
}

// The early return comes before the defer is registered.
type guarded struct {
	ok   bool
	stop chan bool
	done chan bool
}

func newGuarded() *guarded { return &guarded{stop: make(chan bool), done: make(chan bool)} }

func (g *guarded) Run() error {
	if !g.ok {
		return errors.New("not ready")
	}
	defer func() { g.done <- true }()
	<-g.stop
	return nil
}

func (g *guarded) Close() {
	g.stop <- true
	<-g.done
}

// The receiver does not send first: a Wait that may come after the error
// takes the value.
type waiter struct {
	ok   bool
	stop chan bool
	done chan bool
}

func newWaiter() *waiter { return &waiter{stop: make(chan bool), done: make(chan bool)} }

func (w *waiter) Run() error {
	defer func() { w.done <- true }()
	if !w.ok {
		return errors.New("not ready")
	}
	<-w.stop
	return nil
}

func (w *waiter) Stop() { w.stop <- true }

func (w *waiter) Wait() { <-w.done }

// The stop is also received elsewhere (a watchdog), so Close's send can
// complete without the loop.
type watched struct {
	ok   bool
	stop chan bool
	done chan bool
}

func newWatched() *watched { return &watched{stop: make(chan bool), done: make(chan bool)} }

func (w *watched) Run() error {
	defer func() { w.done <- true }()
	if !w.ok {
		return errors.New("not ready")
	}
	<-w.stop
	return nil
}

func (w *watched) watchdog() {
	<-w.stop
	w.done <- true
}

func (w *watched) Close() {
	w.stop <- true
	<-w.done
}

// Close's stop is sent in a select that can give up.
type patient struct {
	ok   bool
	stop chan bool
	done chan bool
	quit chan struct{}
}

func newPatient() *patient {
	return &patient{stop: make(chan bool), done: make(chan bool), quit: make(chan struct{})}
}

func (p *patient) Run() error {
	defer func() { p.done <- true }()
	if !p.ok {
		return errors.New("not ready")
	}
	<-p.stop
	return nil
}

func (p *patient) Close() {
	select {
	case p.stop <- true:
	case <-p.quit:
	}
	<-p.done
}

// A request and its answer on two channels: the answer is sent only after
// the request was received.
type echo struct {
	req chan int
	res chan int
}

func newEcho() *echo {
	e := &echo{req: make(chan int), res: make(chan int)}
	go e.serve()
	return e
}

func (e *echo) serve() {
	for v := range e.req {
		e.res <- v
	}
}

func (e *echo) Ask(v int) int {
	e.req <- v
	return <-e.res
}

// A command handler called once per command: the stop was received by an
// earlier call ("block" before "unblock"), so the skipping path is only
// low confidence (pebble's excise test).
type blocked struct {
	startBlock chan struct{}
	unblock    chan struct{}
}

var current *blocked

func onTableCreated(c *blocked) {
	c.startBlock <- struct{}{}
	<-c.unblock
}

func handle(cmd string) string {
	switch cmd {
	case "unblock":
		current.unblock <- struct{}{} // want "the send on current.unblock blocks forever on a path that reaches it without receiving from blocked.startBlock.*\[low confidence\]"
		return "ok"
	case "block":
		current = &blocked{startBlock: make(chan struct{}), unblock: make(chan struct{})}
		go onTableCreated(current)
		<-current.startBlock
	}
	return "ok"
}
