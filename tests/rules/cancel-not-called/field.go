package cancel_not_called

import (
	"context"
	"sync/atomic"
	"time"
)

// A cancel function kept in a field that nothing in the package ever calls.
type poller struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func newPoller(ctx context.Context) (*poller, context.Context) {
	p := &poller{done: make(chan struct{})}
	ctx, p.cancel = context.WithCancel(ctx) // want "the cancel function of context.WithCancel is stored in poller.cancel, which nothing in the package ever calls: the child context and its children leak"
	return p, ctx
}

// The fixed twin: Close calls it.
type closer struct{ cancel context.CancelFunc }

func newCloser(ctx context.Context) (*closer, context.Context) {
	c := &closer{}
	ctx, c.cancel = context.WithCancel(ctx)
	return c, ctx
}

func (c *closer) Close() { c.cancel() }

// Look-alikes: handed to a timer, an exported field (other packages may
// call it), a getter that hands it out.
type timed struct{ cancel context.CancelFunc }

func newTimed(ctx context.Context) context.Context {
	t := &timed{}
	ctx, t.cancel = context.WithTimeout(ctx, time.Second)
	time.AfterFunc(time.Minute, t.cancel)
	return ctx
}

type Exported struct{ Cancel context.CancelFunc }

func newExported(ctx context.Context) (*Exported, context.Context) {
	e := &Exported{}
	ctx, e.Cancel = context.WithCancel(ctx)
	return e, ctx
}

type getter struct{ cancel context.CancelFunc }

func (g *getter) Canceler() context.CancelFunc { return g.cancel }

func newGetter(ctx context.Context) (*getter, context.Context) {
	g := &getter{}
	ctx, g.cancel = context.WithCancel(ctx)
	return g, ctx
}

// The same, stored through a composite literal of a local (ratelimit's
// `&Limiter{cancelFunc: cancel}`).
type limiter struct {
	tokens     chan struct{}
	cancelFunc context.CancelFunc
}

func (l *limiter) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case l.tokens <- struct{}{}:
		}
	}
}

func newLimiter() *limiter {
	ctx, cancel := context.WithCancel(context.Background()) // want "the cancel function of context.WithCancel is stored in limiter.cancelFunc, which nothing in the package ever calls"
	l := &limiter{tokens: make(chan struct{}), cancelFunc: cancel}
	go l.run(ctx)
	return l
}

// The fixed twin: Stop calls it.
type stopper struct{ cancelFunc context.CancelFunc }

func (s *stopper) Stop() { s.cancelFunc() }

func newStopper() (*stopper, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	return &stopper{cancelFunc: cancel}, ctx
}

// Look-alikes: the local is also called (on an error path), the key has
// the local's name, the literal is of another package's type.
type dialer struct{ cancel context.CancelFunc }

func (d *dialer) Close() { d.cancel() }

type sessionless struct{ cancel context.CancelFunc }

func newSessionless(fail bool) (*sessionless, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	if fail {
		cancel()
		return nil, nil
	}
	return &sessionless{cancel: cancel}, ctx
}

func newDialer() (*dialer, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	return &dialer{cancel: cancel}, ctx
}

type keyed struct{ cancel context.CancelFunc }

func (k keyed) stop() { k.cancel() }

func newKeyed() (keyed, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	return keyed{cancel: cancel}, ctx
}

func useKeyed() {
	k, _ := newKeyed()
	k.stop()
}

// Only an unexported close that nothing in the package calls calls it.
type watcher struct {
	cancel context.CancelFunc
}

func newWatcher() (*watcher, context.Context) {
	w := &watcher{}
	var ctx context.Context
	ctx, w.cancel = context.WithCancel(context.Background()) // want "stored in watcher.cancel, which only close calls, and nothing in the package calls close"
	return w, ctx
}

func (w *watcher) close() { w.cancel() }

// Look-alike: called through a value whose type the model does not know
// (vitess's `lt := pool.lifetime.Swap(nil); lt.cancel()`); a field of
// another name, since any selection of the name on an unknown type silences
// every class of that name.
type lifetime struct{ end context.CancelFunc }

type pool struct{ lifetime atomic.Pointer[lifetime] }

func (p *pool) open() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	p.lifetime.Store(&lifetime{end: cancel})
	return ctx
}

func (p *pool) Close() {
	if lt := p.lifetime.Swap(nil); lt != nil {
		lt.end()
	}
}
