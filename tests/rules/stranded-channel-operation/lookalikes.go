package stranded

import (
	"context"
	"io"
)

// Look-alikes that must stay silent.

// A buffered channel: the send may still fit.
type buffered struct {
	jobs chan int
	quit chan struct{}
}

func newBuffered() *buffered {
	b := &buffered{jobs: make(chan int, 16), quit: make(chan struct{})}
	go b.run()
	return b
}

func (b *buffered) run() {
	for {
		select {
		case <-b.jobs:
		case <-b.quit:
			return
		}
	}
}

func (b *buffered) Add(j int) { b.jobs <- j }

// Request and reply: the loop answers in the case that took the request,
// it cannot leave in between.
type request struct {
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

func (s *server) loop() {
	for {
		select {
		case r := <-s.reqs:
			r.reply <- 1
		case <-s.quit:
			return
		}
	}
}

func (s *server) Get() int {
	r := request{reply: make(chan int)}
	select {
	case s.reqs <- r:
	case <-s.quit:
		return 0
	}
	return <-r.reply
}

// The loop drains the channel before it leaves.
type tracker struct {
	start chan struct{}
	done  chan struct{}
	quit  chan struct{}
}

func newTracker() *tracker {
	t := &tracker{start: make(chan struct{}), done: make(chan struct{}), quit: make(chan struct{})}
	go t.track()
	return t
}

func (t *tracker) track() {
	active := 0
	for {
		select {
		case <-t.start:
			active++
		case <-t.done:
			active--
		case <-t.quit:
			for ; active > 0; active-- {
				<-t.done
			}
			return
		}
	}
}

func (t *tracker) begin() {
	select {
	case t.start <- struct{}{}:
	case <-t.quit:
	}
}

func (t *tracker) end() { t.done <- struct{}{} }

// The loop stops on the value it was sent (the protocol's stop), not by
// giving up.
type sentinel struct {
	in chan []byte
}

func newSentinel() *sentinel {
	s := &sentinel{in: make(chan []byte)}
	go s.consume()
	return s
}

func (s *sentinel) consume() {
	for {
		b := <-s.in
		if b == nil {
			return
		}
	}
}

func (s *sentinel) Write(b []byte) { s.in <- b }

// The reader's done channel is closed by the receiver's own caller, after
// the receiver has finished; the read error travels with the data.
type chunk struct {
	b   []byte
	err error
}

type reader struct {
	conn io.Reader
	data chan chunk
	done chan struct{}
}

func serveConn(conn io.Reader) {
	r := &reader{conn: conn, data: make(chan chunk), done: make(chan struct{})}
	go r.readLoop()
	defer close(r.done)
	r.run()
}

func (r *reader) readLoop() {
	for {
		buf := make([]byte, 512)
		n, err := r.conn.Read(buf)
		select {
		case r.data <- chunk{b: buf[:n], err: err}:
		case <-r.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (r *reader) run() {
	for {
		if c := <-r.data; c.err != nil {
			return
		}
	}
}

// A loop that leaves only an inner loop comes back to its select.
type rounds struct {
	stop    chan chan struct{}
	trigger chan struct{}
}

func newRounds() *rounds {
	r := &rounds{stop: make(chan chan struct{}), trigger: make(chan struct{})}
	go r.loop()
	return r
}

func (r *rounds) loop() {
	for {
	wait:
		for {
			select {
			case done := <-r.stop:
				close(done)
				return
			case <-r.trigger:
				break wait
			}
		}
	}
}

func (r *rounds) Stop() {
	done := make(chan struct{})
	r.stop <- done
	<-done
}

// The loop leaves only after a call that ends the process.
type watchdog struct {
	ping  chan struct{}
	crash func()
}

func newWatchdog(ctx context.Context, crash func()) *watchdog {
	w := &watchdog{ping: make(chan struct{}), crash: crash}
	go w.watch(ctx)
	return w
}

func (w *watchdog) watch(ctx context.Context) {
	for {
		select {
		case <-w.ping:
		case <-ctx.Done():
			w.crash()
			w.panicNow()
			return
		}
	}
}

func (w *watchdog) panicNow() { panic("watchdog") }

func (w *watchdog) Ping() { w.ping <- struct{}{} }

// The loop leaves only when every worker it counts has finished: no worker
// is left to send.
type pool struct {
	results chan int
	exited  chan struct{}
}

func runPool(n int) {
	p := &pool{results: make(chan int), exited: make(chan struct{})}
	for i := 0; i < n; i++ {
		go p.work(i)
	}
	p.collect(n)
}

func (p *pool) work(i int) {
	p.results <- i
	p.exited <- struct{}{}
}

func (p *pool) collect(active int) {
	for {
		select {
		case <-p.results:
		case <-p.exited:
			active--
			if active == 0 {
				return
			}
		}
	}
}
