package stranded

import (
	"context"
	"errors"
	"time"
)

// 1. serve stops receiving when quit is closed; Lookup cannot give up.
type query struct {
	key   string
	reply chan int
}

type index struct {
	queries chan query
	quit    chan struct{}
	stopped chan struct{}
}

func newIndex() *index {
	ix := &index{queries: make(chan query), quit: make(chan struct{}), stopped: make(chan struct{})}
	go ix.serve()
	return ix
}

func (ix *index) serve() {
	defer close(ix.stopped)
	for {
		select {
		case q := <-ix.queries:
			q.reply <- len(q.key)
		case <-ix.quit:
			return
		}
	}
}

func (ix *index) Lookup(k string) int {
	q := query{k, make(chan int, 1)}
	ix.queries <- q // want "the send on ix.queries blocks forever once serve stops receiving: it gives up at line 34 in the `<-ix.quit` case, and nothing else receives from index.queries"
	return <-q.reply
}

func (ix *index) Close() { close(ix.quit) }

// 1, fixed: the send also waits for the loop to stop.
type fixedIndex struct {
	queries chan query
	quit    chan struct{}
	stopped chan struct{}
}

func newFixedIndex() *fixedIndex {
	ix := &fixedIndex{queries: make(chan query), quit: make(chan struct{}), stopped: make(chan struct{})}
	go ix.serve()
	return ix
}

func (ix *fixedIndex) serve() {
	defer close(ix.stopped)
	for {
		select {
		case q := <-ix.queries:
			q.reply <- len(q.key)
		case <-ix.quit:
			return
		}
	}
}

func (ix *fixedIndex) Lookup(k string) int {
	q := query{k, make(chan int, 1)}
	select {
	case ix.queries <- q:
	case <-ix.stopped:
		return 0
	}
	return <-q.reply
}

func (ix *fixedIndex) Close() { close(ix.quit) }

// 2. the heartbeat loop returns on an error before its select; Stop's send
// then has no receiver.
type worker struct {
	id   string
	stop chan struct{}
}

func (w *worker) Start() { go w.beat() }

func (w *worker) beat() {
	for {
		if err := w.ping(); err != nil {
			return
		}
		select {
		case <-w.stop:
			return
		case <-time.After(time.Second):
		}
	}
}

func (w *worker) ping() error {
	if w.id == "" {
		return errors.New("no id")
	}
	return nil
}

func (w *worker) Stop() {
	w.stop <- struct{}{} // want "the send on w.stop blocks forever once beat stops receiving"
}

func newWorker(id string) *worker { return &worker{id: id, stop: make(chan struct{})} }

// 2, fixed: Stop closes the channel, which never blocks.
type fixedWorker struct {
	id   string
	stop chan struct{}
}

func (w *fixedWorker) Start() { go w.beat() }

func (w *fixedWorker) beat() {
	for {
		if w.id == "" {
			return
		}
		select {
		case <-w.stop:
			return
		case <-time.After(time.Second):
		}
	}
}

func (w *fixedWorker) Stop() { close(w.stop) }

func newFixedWorker(id string) *fixedWorker { return &fixedWorker{id: id, stop: make(chan struct{})} }

// 3. the detector goroutine sends with a plain send; the listener stops
// receiving when done is closed.
type detector struct {
	in   chan struct{}
	out  chan struct{}
	quit chan struct{}
}

func newDetector() *detector {
	d := &detector{in: make(chan struct{}), out: make(chan struct{}), quit: make(chan struct{})}
	go d.detect()
	return d
}

func (d *detector) detect() {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for {
		select {
		case <-d.in:
			t.Reset(time.Second)
		case <-t.C:
			d.out <- struct{}{} // want "the send on d.out blocks forever once listen stops receiving"
		case <-d.quit:
			return
		}
	}
}

func listen(d *detector, done <-chan struct{}, notify func()) {
	for {
		select {
		case <-d.out:
			notify()
		case <-done:
			close(d.quit)
			return
		}
	}
}

// 4. the receive side: the producer goroutine gives up on its context;
// Next receives with a plain receive and nothing closes the channel.
type feed struct {
	items chan string
}

func newFeed(ctx context.Context) *feed {
	f := &feed{items: make(chan string)}
	go f.produce(ctx)
	return f
}

func (f *feed) produce(ctx context.Context) {
	for {
		select {
		case f.items <- "x":
		case <-ctx.Done():
			return
		}
	}
}

func (f *feed) Next() string {
	return <-f.items // want "the receive from f.items blocks forever once produce stops sending"
}

// 4, fixed: the producer closes the channel when it stops.
type fixedFeed struct {
	items chan string
}

func newFixedFeed(ctx context.Context) *fixedFeed {
	f := &fixedFeed{items: make(chan string)}
	go f.produce(ctx)
	return f
}

func (f *fixedFeed) produce(ctx context.Context) {
	defer close(f.items)
	for {
		select {
		case f.items <- "x":
		case <-ctx.Done():
			return
		}
	}
}

func (f *fixedFeed) Next() (string, bool) {
	s, ok := <-f.items
	return s, ok
}

// 5. a buffered channel filled in a loop: once the reader has given up on
// its context, the buffer fills and the producer blocks (low confidence).
type task struct{ rows []string }

type retriever struct {
	tasks chan task
	logs  [][]string
}

func (e *retriever) start(ctx context.Context) {
	e.tasks = make(chan task, 1)
	go e.parse()
}

func (e *retriever) parse() {
	defer close(e.tasks)
	for _, l := range e.logs {
		e.tasks <- task{rows: l} // want "the send on e.tasks blocks forever once next stops receiving.*\\[low confidence\\]"
	}
}

func (e *retriever) next(ctx context.Context) ([]string, error) {
	select {
	case t, ok := <-e.tasks:
		if !ok {
			return nil, nil
		}
		return t.rows, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
