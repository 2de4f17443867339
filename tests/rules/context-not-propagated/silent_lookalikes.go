package handlers

import (
	"context"
	"time"
)

// main-like and init code has no ctx to propagate.
func Run() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return work(ctx)
}

func work(ctx context.Context) error { return ctx.Err() }

var rootCtx = context.Background()

func init() {
	_ = work(context.TODO())
}

// A function without a ctx parameter.
func (c *Controller) Resync(name string) error {
	_, err := c.client.Get(context.Background(), name)
	return err
}

// ctx is blank: the interface requires it, the function says it ignores it.
func (c *Controller) Healthz(_ context.Context) error {
	_, err := c.client.Get(context.Background(), "healthz")
	return err
}

// Unnamed parameter.
func (c *Controller) Version(context.Context) error {
	return work(context.TODO())
}

// The nil guard.
func (c *Controller) Fetch(ctx context.Context, name string) (*Pod, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	return c.client.Get(ctx, name)
}

// ctx shadowed by a func literal's own parameter.
func (c *Controller) Each(ctx context.Context, names []string) {
	visit := func(ctx context.Context, n string) {
		_, _ = c.client.Get(ctx, n)
	}
	for _, n := range names {
		visit(ctx, n)
	}
}

// Passing ctx along, and deriving from it.
func (c *Controller) Bounded(ctx context.Context, name string) error {
	tctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := c.client.Get(tctx, name)
	return err
}

// Embedded context: the type is a Context implementation.
type valueCtx struct {
	context.Context
	key, val any
}

// A Context implementation that wraps its parent in a named field.
type detachedCtx struct {
	parent context.Context
}

func (d detachedCtx) Deadline() (time.Time, bool)   { return time.Time{}, false }
func (d detachedCtx) Done() <-chan struct{}         { return nil }
func (d detachedCtx) Err() error                    { return nil }
func (d detachedCtx) Value(key any) any             { return d.parent.Value(key) }

// Parameter bundles carry a request's context by design.
type ListRequest struct {
	Ctx   context.Context
	Limit int
}

type DialOptions struct {
	Context context.Context
}

// Anonymous structs (table tests, one-off bundles) are not reported.
var cases = []struct {
	ctx  context.Context
	name string
}{{context.Background(), "a"}}

// Comparing with Background passes nothing on (x/net socks dialer).
func (c *Controller) watchCancel(ctx context.Context) bool {
	return ctx != context.Background()
}
