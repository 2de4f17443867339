package send_after_close

import "sync"

// The shutdown race of watch and informer code: Stop closes quit and then
// the events channel while run may sit in its select; once both are closed
// both cases are ready and the select may pick the send.
type eventWatcher struct {
	quit   chan struct{}
	events chan int
	src    func() int
}

func newEventWatcher(src func() int) *eventWatcher {
	w := &eventWatcher{quit: make(chan struct{}), events: make(chan int), src: src}
	go w.run()
	return w
}

func (w *eventWatcher) run() {
	for {
		ev := w.src()
		select {
		case w.events <- ev:
		case <-w.quit:
			return
		}
	}
}

func (w *eventWatcher) Stop() {
	close(w.quit)
	close(w.events) // want "close\\(w.events\\) while the goroutine running run \\(started at stop.go:16\\) may still send on it: once both are closed its select may pick the send, which panics$"
}

// A plain send loop in the worker: low confidence (Stop may be called only
// after the worker ended).
type pump struct {
	out chan int
	n   int
}

func (p *pump) Start() { go p.loop() }

func (p *pump) loop() {
	for i := 0; i < p.n; i++ {
		p.out <- i
	}
}

func (p *pump) Close() {
	close(p.out) // want "close\\(p.out\\) while the goroutine running loop .*\\[low confidence\\]"
}

// --- silent: the closing method waits for the worker first ---
type waitingWatcher struct {
	quit   chan struct{}
	events chan int
	wg     sync.WaitGroup
}

func (w *waitingWatcher) Start() {
	w.wg.Add(1)
	go w.run()
}

func (w *waitingWatcher) run() {
	defer w.wg.Done()
	for {
		select {
		case w.events <- 1:
		case <-w.quit:
			return
		}
	}
}

func (w *waitingWatcher) Stop() {
	close(w.quit)
	w.wg.Wait()
	close(w.events)
}

// --- silent: the worker closes its own output through a helper ---
type selfCloser struct {
	out chan int
}

func (s *selfCloser) Start() { go s.produce() }

func (s *selfCloser) produce() {
	defer s.finish()
	for i := 0; i < 3; i++ {
		s.out <- i
	}
}

func (s *selfCloser) finish() { close(s.out) }

// --- silent: sends and close under one mutex with a closed flag ---
type guarded struct {
	mu     sync.Mutex
	closed bool
	ch     chan int
}

func (g *guarded) Start() { go g.feed() }

func (g *guarded) feed() {
	for i := 0; ; i++ {
		g.mu.Lock()
		if g.closed {
			g.mu.Unlock()
			return
		}
		select {
		case g.ch <- i:
		default:
		}
		g.mu.Unlock()
	}
}

func (g *guarded) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	close(g.ch)
}

// --- silent: the closing method waits for a stopped signal ---
type signalled struct {
	quit, stopped chan struct{}
	out           chan int
}

func (s *signalled) Start() { go s.run() }

func (s *signalled) run() {
	defer close(s.stopped)
	for {
		select {
		case s.out <- 1:
		case <-s.quit:
			return
		}
	}
}

func (s *signalled) Stop() {
	close(s.quit)
	<-s.stopped
	close(s.out)
}
