package quit

import (
	"context"
	"sync"
)

type message struct{ kind uint8 }

// The send loop stops on doneChan only while it waits for readiness; the
// receive from the queue does not watch it (gouroboros#478).
type protocol struct {
	queue chan message
	ready chan struct{}
	done  chan struct{}
	out   chan []byte
	wg    sync.WaitGroup
	once  sync.Once
}

func newProtocol() *protocol {
	p := &protocol{queue: make(chan message, 50), ready: make(chan struct{}, 1), done: make(chan struct{}), out: make(chan []byte, 10)}
	p.wg.Add(1)
	go p.sendLoop()
	return p
}

func (p *protocol) sendLoop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case <-p.ready:
		}
		msg := <-p.queue // want "this receive from p.queue does not watch p.done: the loop stops on it only in the select at line 31"
		p.out <- []byte{msg.kind}
	}
}

func (p *protocol) Send(m message) { p.queue <- m }

func (p *protocol) Stop() {
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
}

// Fixed: the receive watches doneChan too.
type fixedProtocol struct {
	queue chan message
	ready chan struct{}
	done  chan struct{}
	out   chan []byte
	wg    sync.WaitGroup
	once  sync.Once
}

func newFixedProtocol() *fixedProtocol {
	p := &fixedProtocol{queue: make(chan message, 50), ready: make(chan struct{}, 1), done: make(chan struct{}), out: make(chan []byte, 10)}
	p.wg.Add(1)
	go p.sendLoop()
	return p
}

func (p *fixedProtocol) sendLoop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case <-p.ready:
		}
		select {
		case msg := <-p.queue:
			p.out <- []byte{msg.kind}
		case <-p.done:
			return
		}
	}
}

func (p *fixedProtocol) Send(m message) { p.queue <- m }

func (p *fixedProtocol) Stop() {
	p.once.Do(func() { close(p.done) })
	p.wg.Wait()
}

// A lister goroutine polls its context, then sends with a plain send: a
// caller that stops reading and cancels leaves it blocked.
type lister struct {
	items chan string
	err   error
}

func List(ctx context.Context, pages [][]string) <-chan string {
	l := &lister{items: make(chan string)}
	go func() {
		defer close(l.items)
		for _, page := range pages {
			for _, it := range page {
				select {
				case <-ctx.Done():
					l.err = ctx.Err()
					return
				default:
				}
				l.items <- it // want "this send on l.items does not watch ctx.Done\\(\\)"
			}
		}
	}()
	return l.items
}

// Look-alikes that must stay silent.

// The answer goes back in the case that took the request.
type request struct{ reply chan int }

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

func (s *server) Close() { close(s.quit) }

// The other channel is closed when the loop should stop: the receive ends.
type drainer struct {
	in   chan int
	tick chan struct{}
	quit chan struct{}
}

func newDrainer() *drainer {
	d := &drainer{in: make(chan int), tick: make(chan struct{}), quit: make(chan struct{})}
	go d.run()
	return d
}

func (d *drainer) run() {
	for {
		select {
		case <-d.tick:
		case <-d.quit:
			return
		}
		if _, ok := <-d.in; !ok {
			return
		}
	}
}

func (d *drainer) Close() {
	close(d.quit)
	close(d.in)
}

// A buffered channel the loop sends on: the send may fit.
type reporter struct {
	events chan int
	quit   chan struct{}
	tick   chan struct{}
}

func newReporter() *reporter {
	r := &reporter{events: make(chan int, 8), quit: make(chan struct{}), tick: make(chan struct{})}
	go r.run()
	return r
}

func (r *reporter) run() {
	for {
		select {
		case <-r.tick:
		case <-r.quit:
			return
		}
		r.events <- 1
	}
}

func (r *reporter) Close() { close(r.quit) }

// Not a goroutine: the caller's own loop.
type poller struct {
	data chan int
	quit chan struct{}
}

func (p *poller) Poll() int {
	for {
		select {
		case <-p.quit:
			return 0
		default:
		}
		return <-p.data
	}
}

func (p *poller) Close() { close(p.quit) }
