package wait_on_uncancelled_context

import (
	"context"
	"time"
)

// projectdiscovery/ratelimit#19: the cancel is kept in a field nobody calls.
type limiter struct {
	tokens chan struct{}
	cancel context.CancelFunc
}

func newLimiter(every time.Duration) *limiter {
	ctx, cancel := context.WithCancel(context.TODO())
	l := &limiter{tokens: make(chan struct{}), cancel: cancel}
	go l.run(ctx, every)
	return l
}

func (l *limiter) run(c context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.Done(): // want "c.Done\(\) never fires, and it is the only way out of this goroutine \(started at line 17\): the context is made by context.WithCancel\(context.TODO\(\)\) at line 15 and its cancel is stored in limiter.cancel, which nothing in the package calls"
			return
		case <-t.C:
			l.tokens <- struct{}{}
		}
	}
}

// The same with an assignment to the field and a go func literal.
type watcher struct {
	events chan string
	stop   context.CancelFunc
}

func newWatcher() *watcher {
	w := &watcher{events: make(chan string)}
	var ctx context.Context
	ctx, w.stop = context.WithCancel(context.Background())
	go func() {
		for {
			select {
			case <-ctx.Done(): // want "ctx.Done\(\) never fires.*stored in watcher.stop"
				return
			case w.events <- "tick":
			}
		}
	}()
	return w
}

// Discarded.
func startPinger(out chan<- struct{}) {
	ctx, _ := context.WithCancel(context.Background())
	go ping(ctx, out)
}

func ping(ctx context.Context, out chan<- struct{}) {
	for {
		select {
		case <-ctx.Done(): // want "ctx.Done\(\) never fires.*its cancel is discarded"
			return
		case out <- struct{}{}:
		}
	}
}

// The fixed twin: Close calls the cancel.
type closer struct {
	tokens chan struct{}
	cancel context.CancelFunc
}

func newCloser() *closer {
	ctx, cancel := context.WithCancel(context.Background())
	c := &closer{tokens: make(chan struct{}), cancel: cancel}
	go c.loop(ctx)
	return c
}

func (c *closer) Close() { c.cancel() }

func (c *closer) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case c.tokens <- struct{}{}:
		}
	}
}

// Look-alikes that stay silent.

// Another way out: a quit channel.
type quitter struct {
	quit   chan struct{}
	cancel context.CancelFunc
}

func newQuitter() *quitter {
	ctx, cancel := context.WithCancel(context.Background())
	q := &quitter{quit: make(chan struct{}), cancel: cancel}
	go q.loop(ctx)
	return q
}

func (q *quitter) Stop() { close(q.quit) }

func (q *quitter) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.quit:
			return
		}
	}
}

// A parent the caller owns can end.
type child struct{ cancel context.CancelFunc }

func newChild(parent context.Context) *child {
	ctx, cancel := context.WithCancel(parent)
	c := &child{cancel: cancel}
	go c.loop(ctx)
	return c
}

func (c *child) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// A deadline ends it.
type timed struct{ cancel context.CancelFunc }

func newTimed() *timed {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t := &timed{cancel: cancel}
	go t.loop(ctx)
	return t
}

func (t *timed) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// The loop can end by itself.
type batch struct {
	cancel context.CancelFunc
	items  chan int
}

func newBatch() *batch {
	ctx, cancel := context.WithCancel(context.Background())
	b := &batch{cancel: cancel, items: make(chan int)}
	go b.loop(ctx)
	return b
}

func (b *batch) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case v, ok := <-b.items:
			if !ok {
				return
			}
			_ = v
		}
	}
}
