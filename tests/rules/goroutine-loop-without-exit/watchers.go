package loops

import (
	"context"
	"sync"
	"time"
)

type Event struct{ Key string }

// Kubernetes-style informer watcher: the run loop selects on its source and
// a resync ticker but has no stop channel, so every Watcher that is dropped
// leaves its goroutine (and the Watcher) behind.
type Watcher struct {
	source  chan Event
	handler func(Event)
	resync  time.Duration
}

func NewWatcher(h func(Event)) *Watcher {
	w := &Watcher{source: make(chan Event), handler: h, resync: time.Minute}
	go w.run()
	return w
}

// Stop marks the watcher stopped; the run goroutine does not look.
func (w *Watcher) Stop() { w.handler = func(Event) {} }

func (w *Watcher) run() {
	t := time.NewTicker(w.resync)
	defer t.Stop()
	for { // want "this loop in the goroutine started at line 22 never exits: no return, break or done-channel case, so the goroutine lives until the process ends$"
		select {
		case ev := <-w.source:
			w.handler(ev)
		case <-t.C:
			w.handler(Event{})
		}
	}
}

// etcd-style lease keeper: a polling loop in a goroutine started per client.
type Client struct {
	mu     sync.Mutex
	leases map[int64]time.Time
}

func (c *Client) refresh() {}

func (c *Client) StartKeepAlive(interval time.Duration) {
	go func() {
		for { // want "this polling loop in the goroutine started at line 51 never exits: it sleeps and polls again.*\\[low confidence\\]"
			time.Sleep(interval)
			c.refresh()
		}
	}()
}

// gRPC-style flusher: Close stops the ticker, but Stop never closes the
// ticker's channel, so the range below never ends.
type bufferedSink struct {
	mu          sync.Mutex
	writeTicker *time.Ticker
	flush       func() error
}

func (fs *bufferedSink) startFlushGoroutine() {
	fs.writeTicker = time.NewTicker(time.Minute)
	go func() {
		for range fs.writeTicker.C { // want "this loop in the goroutine started at line 69 never exits.*\\[low confidence\\]"
			fs.mu.Lock()
			_ = fs.flush()
			fs.mu.Unlock()
		}
	}()
}

func (fs *bufferedSink) Close() { fs.writeTicker.Stop() }

// The break in the done case leaves only the select: after cancellation the
// loop spins on the closed Done channel.
func consume(ctx context.Context, in <-chan int, out func(int)) {
	go func() {
		for { // want "this loop in the goroutine started at line 83 never exits: the break at line 89 leaves only the select, not the loop, so the goroutine lives until the process ends$"
			select {
			case v := <-in:
				out(v)
			case <-ctx.Done():
				break
			}
		}
	}()
}

// Docker-style event forwarder: a bare receive; once the channel is closed
// it receives zero values forever.
type forwarder struct {
	events chan string
	sink   func(string)
}

func (f *forwarder) Start() {
	go f.forward()
}

func (f *forwarder) Stop() { close(f.events) }

func (f *forwarder) forward() {
	for { // want "started at line 103 never exits"
		msg := <-f.events
		if msg == "" {
			continue
		}
		f.sink(msg)
	}
}

// CockroachDB-style: a labelled outer loop whose inner loop only continues
// the outer one; errors are retried forever.
type gossip struct {
	connect func() error
	serve   func() error
}

func (g *gossip) bootstrap() {
	go func() {
	retry:
		for { // want "started at line 126 never exits.*\\[low confidence\\]"
			if err := g.connect(); err != nil {
				time.Sleep(time.Second)
				continue retry
			}
			for {
				if err := g.serve(); err != nil {
					continue retry
				}
			}
		}
	}()
}

// A range over time.Tick in a method started through a wrapper literal.
type MergeLogger struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	emit func(time.Time)
}

func NewMergeLogger(emit func(time.Time)) *MergeLogger {
	l := &MergeLogger{emit: emit}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.outputLoop()
	}()
	return l
}

func (l *MergeLogger) outputLoop() {
	for now := range time.Tick(time.Second) { // want "started at line 152 never exits.*\\[low confidence\\]"
		l.mu.Lock()
		l.emit(now)
		l.mu.Unlock()
	}
}

// Started from another file of the package: the message names that file.
type prober struct{ probe func() }

func (p *prober) loop() {
	for { // want "started at spawn.go:[0-9]+ never exits.*\\[low confidence\\]"
		p.probe()
		time.Sleep(time.Second)
	}
}

// No per-instance state: looks like a process-wide janitor, reported at
// low confidence only.
var cache = map[string]string{}
var cacheMu sync.Mutex

func StartJanitor() {
	go func() {
		for { // want "never exits.*\\[low confidence\\]"
			time.Sleep(time.Minute)
			cacheMu.Lock()
			cache = map[string]string{}
			cacheMu.Unlock()
		}
	}()
}
