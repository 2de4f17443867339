package send_after_close

import (
	"context"
	"sync"
)

// Channels in struct fields, closed by Stop/Close while another goroutine
// of the package, or a caller of an exported method, may still send.

// A go literal forwards with a select on quit; Close closes quit and then
// the output: a forwarder that is not parked in its select when both
// close finds both cases ready and may pick the send.
type forwarder struct {
	in   chan int
	out  chan int
	quit chan struct{}
}

func newForwarder() *forwarder {
	f := &forwarder{in: make(chan int), out: make(chan int), quit: make(chan struct{})}
	go func() {
		for v := range f.in {
			select {
			case f.out <- v * 2:
			case <-f.quit:
				return
			}
		}
	}()
	return f
}

func (f *forwarder) Close() {
	close(f.quit)
	close(f.out) // want "close\\(f.out\\) while the goroutine started at fields.go:22 may still send on it: once both are closed its select may pick the send, which panics$"
}

// A loop method that stops on quit, but sends plainly while it works:
// Stop tells it to stop and closes its output without waiting.
type ticker struct {
	quit  chan struct{}
	ticks chan int
}

func (t *ticker) Start() { go t.loop() }

func (t *ticker) loop() {
	for n := 0; ; n++ {
		select {
		case <-t.quit:
			return
		default:
		}
		t.ticks <- n
	}
}

func (t *ticker) Stop() {
	close(t.quit)
	close(t.ticks) // want "close\\(t.ticks\\) while the goroutine running loop \\(started at fields.go:46\\) may still send on it after it was told to stop, and nothing waits for it: that send panics$"
}

// An exported method selects between its send and the done channel that
// Close closes first: a Publish during or after Close may pick the send.
type broker struct {
	events chan string
	done   chan struct{}
}

func (b *broker) Publish(s string) {
	select {
	case b.events <- s:
	case <-b.done:
	}
}

func (b *broker) Close() {
	close(b.done)
	close(b.events) // want "close\\(b.events\\) while a caller of the exported method Publish may still send on it: once both are closed"
}

// The goroutine watches a context that Stop cancels, then Stop closes the
// output at once.
type streamer struct {
	ctx    context.Context
	cancel context.CancelFunc
	out    chan []byte
}

func newStreamer() *streamer {
	ctx, cancel := context.WithCancel(context.Background())
	s := &streamer{ctx: ctx, cancel: cancel, out: make(chan []byte)}
	go s.pump()
	return s
}

func (s *streamer) pump() {
	for {
		select {
		case s.out <- []byte("x"):
		case <-s.ctx.Done():
			return
		}
	}
}

func (s *streamer) Stop() {
	s.cancel()
	close(s.out) // want "close\\(s.out\\) while the goroutine running pump \\(started at fields.go:94\\) may still send on it: once both"
}

// --- silent: a plain exported sender with no guard at all. A Send after
// Close panics, but whether callers may do that is the package's contract
// (a Submit/Stop pair is ordinary server code); only a send in a select
// with the stop case (above) shows the author expects it to race ---
type queue struct {
	items chan int
}

func (q *queue) Send(v int) { q.items <- v }

func (q *queue) Close() { close(q.items) }

// --- silent: the closer waits for the goroutine (WaitGroup) ---
type waitedForwarder struct {
	out  chan int
	quit chan struct{}
	wg   sync.WaitGroup
}

func (f *waitedForwarder) Start() {
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			select {
			case f.out <- 1:
			case <-f.quit:
				return
			}
		}
	}()
}

func (f *waitedForwarder) Close() {
	close(f.quit)
	f.wg.Wait()
	close(f.out)
}

// --- silent: the goroutine tells it is done by a send that Stop waits for ---
type handshake struct {
	quit, done chan struct{}
	ticks      chan int
}

func (h *handshake) Start() { go h.loop() }

func (h *handshake) loop() {
	for n := 0; ; n++ {
		select {
		case <-h.quit:
			h.done <- struct{}{}
			return
		default:
		}
		h.ticks <- n
	}
}

func (h *handshake) Stop() {
	close(h.quit)
	<-h.done
	close(h.ticks)
}

// --- silent: Stop hands the stop request over (an unbuffered send the loop
// takes in its select) before closing ---
type handover struct {
	stop  chan struct{}
	ticks chan int
}

func (h *handover) Start() { go h.loop() }

func (h *handover) loop() {
	for n := 0; ; n++ {
		select {
		case <-h.stop:
			return
		case h.ticks <- n:
		}
	}
}

func (h *handover) Stop() {
	h.stop <- struct{}{}
	close(h.ticks)
}

// --- silent: the only sender closes its output (the producer pattern);
// Stop only closes quit ---
type producer struct {
	out  chan int
	quit chan struct{}
}

func (p *producer) Start() {
	go func() {
		defer close(p.out)
		for i := 0; ; i++ {
			select {
			case p.out <- i:
			case <-p.quit:
				return
			}
		}
	}()
}

func (p *producer) Stop() { close(p.quit) }

// --- silent: the sender goroutine closes through a chain of helpers ---
type chained struct {
	out chan int
}

func (c *chained) Start() { go c.run() }

func (c *chained) run() {
	defer c.shutdown()
	c.out <- 1
}

func (c *chained) shutdown() { c.release() }

func (c *chained) release() { close(c.out) }

// --- silent: sends and close under one mutex with a closed flag ---
type safeQueue struct {
	mu     sync.Mutex
	closed bool
	items  chan int
}

func (q *safeQueue) Send(v int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.items <- v
	return true
}

func (q *safeQueue) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	close(q.items)
}

// --- silent: sync.Once around the close and the flag ---
type onceQueue struct {
	mu     sync.RWMutex
	once   sync.Once
	closed bool
	items  chan int
}

func (q *onceQueue) Send(v int) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if !q.closed {
		q.items <- v
	}
}

func (q *onceQueue) Close() {
	q.once.Do(func() {
		q.mu.Lock()
		q.closed = true
		close(q.items)
		q.mu.Unlock()
	})
}

// --- silent: the sender recovers from the panic on purpose ---
type tolerant struct {
	out chan int
}

func (t *tolerant) Start() {
	go func() {
		defer func() { _ = recover() }()
		t.out <- 1
	}()
}

func (t *tolerant) Close() { close(t.out) }

// --- silent: a hub closes each client's channel from the goroutine that
// is its only sender (another instance, not the receiver's field) ---
type client struct {
	send chan []byte
}

type hub struct {
	clients    map[*client]bool
	unregister chan *client
	broadcast  chan []byte
}

func (h *hub) Run() {
	for {
		select {
		case c := <-h.unregister:
			delete(h.clients, c)
			close(c.send)
		case m := <-h.broadcast:
			for c := range h.clients {
				c.send <- m
			}
		}
	}
}

// --- silent: Stop re-makes the channel after closing it (a restart) ---
type restartable struct {
	out chan int
}

func (r *restartable) Start() { go func() { r.out <- 1 }() }

func (r *restartable) Reset() {
	close(r.out)
	r.out = make(chan int, 1)
}

// Close takes a lock, but the goroutine that sends never does: the lock
// orders nothing.
type lockedCloser struct {
	mu     sync.Mutex
	closed bool
	quit   chan struct{}
	events chan int
}

func (l *lockedCloser) Start() { go l.run() }

func (l *lockedCloser) run() {
	for i := 0; ; i++ {
		select {
		case l.events <- i:
		case <-l.quit:
			return
		}
	}
}

func (l *lockedCloser) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	close(l.quit)
	close(l.events) // want "close\\(l.events\\) while the goroutine running run \\(started at fields.go:[0-9]+\\) may still send on it: once both are closed"
}

// --- silent: the flag is set under the lock the senders hold while they
// check it and send; the close comes after the unlock ---
type flaggedQueue struct {
	mu     sync.Mutex
	closed bool
	items  chan int
}

func (q *flaggedQueue) Start() {
	go func() {
		for i := 0; ; i++ {
			q.mu.Lock()
			if q.closed {
				q.mu.Unlock()
				return
			}
			q.items <- i
			q.mu.Unlock()
		}
	}()
}

func (q *flaggedQueue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	close(q.items)
}

// The loop hands each job to a helper that sends the result; Shutdown
// stops the loop and closes the results at once.
type worker struct {
	jobs    chan int
	results chan int
	quit    chan struct{}
}

func newWorker() *worker {
	w := &worker{jobs: make(chan int), results: make(chan int), quit: make(chan struct{})}
	go w.loop()
	return w
}

func (w *worker) loop() {
	for {
		select {
		case j := <-w.jobs:
			w.handle(j)
		case <-w.quit:
			return
		}
	}
}

func (w *worker) handle(j int) { w.results <- j * j }

func (w *worker) Shutdown() {
	close(w.quit)
	close(w.results) // want "close\\(w.results\\) while the goroutine running loop \\(started at fields.go:[0-9]+\\) may still send on it after it was told to stop"
}

// --- silent: the same loop closes the results itself when it stops ---
type closingWorker struct {
	jobs    chan int
	results chan int
	quit    chan struct{}
}

func (w *closingWorker) Start() { go w.loop() }

func (w *closingWorker) loop() {
	defer w.finish()
	for {
		select {
		case j := <-w.jobs:
			w.handle(j)
		case <-w.quit:
			return
		}
	}
}

func (w *closingWorker) handle(j int) { w.results <- j }

func (w *closingWorker) finish() { close(w.results) }

func (w *closingWorker) Stop() { close(w.quit) }

// Closing the output before quit is worse: a sender parked in the select
// wakes on the closed output and panics at once.
type reversed struct {
	quit chan struct{}
	out  chan int
}

func (r *reversed) Start() {
	go func() {
		for {
			select {
			case r.out <- 1:
			case <-r.quit:
				return
			}
		}
	}()
}

func (r *reversed) Stop() {
	close(r.out) // want "close\\(r.out\\) while the goroutine started at fields.go:[0-9]+ may still send on it: once both are closed"
	close(r.quit)
}

// A start-up signal sent once before the loop, which the constructor
// waits for: Stop cannot run before it, so only low confidence.
type starter struct {
	started chan struct{}
	quit    chan struct{}
}

func newStarter() *starter {
	s := &starter{started: make(chan struct{}), quit: make(chan struct{})}
	go s.run()
	<-s.started
	return s
}

func (s *starter) run() {
	s.started <- struct{}{}
	<-s.quit
}

func (s *starter) Stop() {
	close(s.quit)
	close(s.started) // want "close\\(s.started\\) while the goroutine running run .*: that send panics \\[low confidence\\]"
}

// A Publish that gives up on its caller's context: after Close that
// context is not done, so the select sends on the closed channel; but
// whether Publish may be called after Close is the contract, and the
// caller's ctx says nothing about it (silent).
type ctxBroker struct {
	cancel context.CancelFunc
	events chan string
}

func (b *ctxBroker) Publish(ctx context.Context, s string) error {
	select {
	case b.events <- s:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *ctxBroker) Close() {
	b.cancel()
	close(b.events)
}
