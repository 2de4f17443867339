package orphan

import "context"

// Set from a constructor parameter: the caller may send.
type consumer struct {
	in chan int
}

func newConsumer(in chan int) *consumer { return &consumer{in: in} }

func (c *consumer) next() int { return <-c.in }

// Exported field: another package may send.
type Bus struct {
	Events chan string
}

func NewBus() *Bus { return &Bus{Events: make(chan string)} }

func (b *Bus) Next() string { return <-b.Events }

// Handed to another function.
type pool struct {
	work chan func()
}

func newPool() *pool {
	p := &pool{work: make(chan func())}
	go runWorker(p.work)
	return p
}

func runWorker(work chan func()) {
	for f := range work {
		f()
	}
}

func (p *pool) submit(f func()) { p.work <- f }

func (p *pool) drain() {
	for f := range p.work {
		f()
	}
}

// Handed out by a method.
type watcher struct {
	updates chan string
}

func newWatcher() *watcher { return &watcher{updates: make(chan string)} }

func (w *watcher) Updates() <-chan string { return w.updates }

func (w *watcher) push(s string) { w.updates <- s }

// An unexported type returned by an exported constructor that hands its
// channel out.
type timer struct {
	ch chan int
}

func NewTimer() *timer { return &timer{ch: make(chan int)} }

func (t *timer) C() <-chan int { return t.ch }

func (t *timer) fire() { t.ch <- 1 }

// Sent on in another file of the package (sender.go).
type mailbox struct {
	msgs chan string
}

func newMailbox() *mailbox { return &mailbox{msgs: make(chan string)} }

func (m *mailbox) receive() string { return <-m.msgs }

// A select with a default never blocks.
type probe struct {
	ping chan struct{}
}

func newProbe() *probe { return &probe{ping: make(chan struct{})} }

func (p *probe) poll() bool {
	select {
	case <-p.ping:
		return true
	default:
		return false
	}
}

// A select with a live case (ctx.Done()).
type idle struct {
	wake chan struct{}
}

func newIdle() *idle { return &idle{wake: make(chan struct{})} }

func (i *idle) sleep(ctx context.Context) {
	select {
	case <-i.wake:
	case <-ctx.Done():
	}
}

// Reached through an embedded struct: which field is meant is not followed.
type base struct {
	done chan struct{}
}

type service struct {
	base
	name string
}

func newService() *service {
	s := &service{}
	s.base.done = make(chan struct{})
	return s
}

func (b *base) wait() { <-b.done }

func (s *service) stop() { close(s.done) }

// Buffered: a send does not block until the buffer is full (reported at
// low confidence only: nothing ever empties it).
type logger struct {
	lines chan string
}

func newLogger() *logger { return &logger{lines: make(chan string, 64)} }

func (l *logger) log(s string) {
	l.lines <- s // want "once its buffer is full, this send blocks forever.*\\[low confidence\\]"
}

// Assigned from another field.
type relay struct {
	src chan int
	dst chan int
}

func newRelay() *relay {
	r := &relay{src: make(chan int), dst: make(chan int)}
	r.dst = r.src
	return r
}

func (r *relay) get() int { return <-r.dst }

func (r *relay) put(v int) { r.src <- v }

// Never made: a nil channel (another rule's business).
type lazy struct {
	ready chan struct{}
}

func (l *lazy) wait() { <-l.ready }

// Positional literal: which value lands in which field is not followed.
type pair struct {
	a chan int
	b chan int
}

func newPair(x chan int) pair { return pair{make(chan int), x} }

func (p pair) take() int { return <-p.b }

// Sent on by a test of the package (feeder_test.go).
type sink struct {
	feed chan int
}

func newSink() *sink { return &sink{feed: make(chan int)} }

func (s *sink) one() int { return <-s.feed }

// Its address is taken.
type handle struct {
	c chan int
}

func newHandle() *handle { return &handle{c: make(chan int)} }

func (h *handle) ref() *chan int { return &h.c }

func (h *handle) get() int { return <-h.c }

// Received into a local variable that is then handed on.
type fanout struct {
	out chan int
}

func newFanout() *fanout { return &fanout{out: make(chan int)} }

func (f *fanout) run(sink func(chan int)) {
	ch := f.out
	sink(ch)
	<-f.out
}
