package handlers

import (
	"context"
	"log"
	"time"
)

// The classes of issue 11, each with the shape that must stay quiet (or
// low) and the true shape beside it.

type informer struct{ name string }

// prometheus: the callee ignores its context (`_`), so nothing is lost.
func newNodeInformer(_ context.Context) *informer { return &informer{"node"} }

// ... or never reads it yet: low, as contextcheck reports it (nothing is
// lost until the callee starts using its ctx).
func newPodInformer(ctx context.Context, ns string) *informer { return &informer{ns} }

// A callee that does use its context.
func listPods(ctx context.Context, ns string) error { return ctx.Err() }

func (c *Controller) RunInformers(ctx context.Context) {
	_ = newNodeInformer(context.Background())
	_ = newPodInformer(context.Background(), "default") // want "is used although .* is in scope \\(parameter of RunInformers\\).*\\[low confidence\\]"
	_ = listPods(context.TODO(), "default") // want "context.TODO\\(\\) is used although ctx is in scope \\(parameter of RunInformers\\).*with it$"
}

// etcd: the same callee gets ctx elsewhere in the function: the other
// context at this call may be a choice: low.
func barrier(ctx context.Context, ch chan struct{}) {
	if ctx.Err() == nil {
		close(ch)
	}
}

func compactJob(ctx context.Context, ch chan struct{}, failed bool) {
	if ctx.Err() != nil {
		barrier(ctx, ch)
		return
	}
	if failed {
		barrier(context.TODO(), ch) // want "context.TODO\\(\\).*\\[low confidence\\]"
	}
}

// prometheus tracing: a shutdown closure returned to the caller runs long
// after ctx's call ended; ctx would be the wrong context there: low (only
// contextcheck's habit of reporting it keeps it at all).
type provider struct{}

func (provider) Shutdown(ctx context.Context) error { return ctx.Err() }

func buildProvider(ctx context.Context) (provider, func() error) {
	var tp provider
	_ = ctx
	return tp, func() error {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // want "context.Background\\(\\).*\\[low confidence\\]"
		defer cancel()
		return tp.Shutdown(sctx)
	}
}

// containerd: a credentials callback stored in an options struct: low.
type hostOptions struct {
	Credentials func(host string) (string, error)
}

type creds interface {
	Get(ctx context.Context, host string) (string, error)
}

func configure(ctx context.Context, cr creds) hostOptions {
	var ho hostOptions
	ho.Credentials = func(host string) (string, error) {
		return cr.Get(context.Background(), host) // want "context.Background\\(\\).*\\[low confidence\\]"
	}
	_ = ctx.Err()
	return ho
}

// go-redis: a callback handed to time.AfterFunc runs after the call: low.
func scheduleHandoff(ctx context.Context, cr creds) {
	time.AfterFunc(time.Second, func() {
		_, _ = cr.Get(context.Background(), "new") // want "context.Background\\(\\).*\\[low confidence\\]"
	})
	_ = ctx.Err()
}

// containerd CRI: an exit monitor meant to outlive the request. The callee
// hands its context to a goroutine: an object-lifetime context, low.
func (c *Controller) startExitMonitor(ctx context.Context, id string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
	}()
	return done
}

func (c *Controller) StartContainer(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.startExitMonitor(context.Background(), id) // want "context.Background\\(\\).*\\[low confidence\\]"
	return nil
}

// docker: the new context's cancel is stored in the object it returns, and
// the context itself is only waited on (a signal, no work done with it):
// silent.
type cancelReader struct {
	cancel context.CancelFunc
}

func NewCancelReader(ctx context.Context) *cancelReader {
	doneCtx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-ctx.Done():
		case <-doneCtx.Done():
		}
	}()
	return &cancelReader{cancel: cancel}
}

// docker: loggers read values from a context, not its cancellation.
type logger interface {
	Printf(ctx context.Context, format string, args ...any)
}

func createNetwork(ctx context.Context, l logger, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.Printf(context.Background(), "rolling back %s", id) // want "context.Background\\(\\).*\\[low confidence\\]"
	log.Print(id)
	return nil
}

// docker: a comment says why a fresh context is used: low.
func (c *Controller) Exec(ctx context.Context, name string) error {
	if _, err := c.client.Get(ctx, name); err != nil {
		// use a new context for cleanup: the old one may be cancelled
		cctx, cancel := context.WithTimeout(context.Background(), 45*time.Second) // want "context.Background\\(\\).*\\[low confidence\\]"
		defer cancel()
		return c.client.Delete(cctx, name)
	}
	return nil
}

// go-redis: a function that returns a context chooses between ctx and a
// fresh one by configuration: low.
type client struct{ timeoutsEnabled bool }

func (c *client) context(ctx context.Context) context.Context {
	if c.timeoutsEnabled {
		return ctx
	}
	return context.Background() // want "context.Background\\(\\).*\\[low confidence\\]"
}

// consul: Background with no sign that ctx's cancellation was meant to reach
// the call (ctx is used, but never checked, and this receiver never gets
// it): as often a deliberate detachment as a bug, low.
type rpc interface {
	RPC(ctx context.Context, method string) error
}

type cache interface {
	Get(ctx context.Context, key string) error
}

type rpcClient struct {
	net   rpc
	cache cache
}

func (c *rpcClient) getEntry(ctx context.Context, useCache bool) error {
	if !useCache {
		return c.net.RPC(context.Background(), "ConfigEntry.Get") // want "context.Background\\(\\).*\\[low confidence\\]"
	}
	return c.cache.Get(ctx, "entry")
}

// docker testutil: the same receiver gets ctx on the line before: the
// Background one is the hole, low since the weak signs (ctx used beside it) were dropped (issue 11, third round).
type apiClient interface {
	Info(ctx context.Context) error
	ServerVersion(ctx context.Context) error
}

func FromClient(ctx context.Context, c apiClient) error {
	if err := c.Info(ctx); err != nil {
		return err
	}
	return c.ServerVersion(context.Background()) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of FromClient\\).*\\[low confidence\\]"
}

// pebble replay: the function watches ctx.Done() itself, then starts a
// long operation with Background: low (weak sign, see classes.go above).
type db interface {
	Ingest(ctx context.Context, paths []string) error
}

func applySteps(ctx context.Context, d db, steps <-chan []string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case paths := <-steps:
			if err := d.Ingest(context.Background(), paths); err != nil { // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of applySteps\\).*\\[low confidence\\]"
				return err
			}
		}
	}
}

// docker's showProgress: when ctx is done the loop makes one last pass to
// report final sizes; a cancelled ctx would make that lookup fail, so the
// fresh context is on purpose: low.
type store interface {
	Info(ctx context.Context, key string) (int, error)
}

func showProgress(ctx context.Context, cs store, keys []string, tick <-chan time.Time) {
	done := false
	for {
		select {
		case <-tick:
		case <-ctx.Done():
			done = true
		}
		for _, k := range keys {
			_, _ = cs.Info(context.TODO(), k) // want "context.TODO\\(\\).*\\[low confidence\\]"
		}
		if done {
			return
		}
	}
}

// A select that returns on ctx.Done(): the TODO below is not a last pass.
func pollKeys(ctx context.Context, cs store, keys []string, tick <-chan time.Time) {
	for {
		select {
		case <-tick:
		case <-ctx.Done():
			return
		}
		for _, k := range keys {
			_, _ = cs.Info(context.TODO(), k) // want "context.TODO\\(\\) is used although ctx is in scope \\(parameter of pollKeys\\).*with it$"
		}
	}
}
