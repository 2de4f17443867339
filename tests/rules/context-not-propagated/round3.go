package handlers

// Issue 11, third round (minio, cilium, alertmanager: code the rule was
// never tuned on).

import (
	"context"
	"errors"
	"log/slog"
)

type allocator struct{}

func (a *allocator) Allocate(ctx context.Context, labels string) (int, error) { return 0, ctx.Err() }
func (a *allocator) Release(ctx context.Context, id int) error                 { return ctx.Err() }
func (a *allocator) Lookup(ctx context.Context, id int) error                  { return ctx.Err() }

type distLock struct{}

func (l *distLock) Unlock(ctx context.Context) error { return ctx.Err() }
func (l *distLock) Refresh(ctx context.Context) error { return ctx.Err() }

func lockPath(ctx context.Context, p string) (*distLock, error) { return &distLock{}, ctx.Err() }

// Undo verbs (cilium releases a just-allocated identity and unlocks an etcd
// lock with Background): cleanup that must finish when the caller has given
// up, as often a choice as an oversight: low confidence.
func changeIdentity(ctx context.Context, a *allocator) error {
	id, err := a.Allocate(ctx, "app=web")
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		a.Release(context.Background(), id) // want "context.Background\\(\\).*\\[low confidence\\]"
		return err
	}
	return nil
}

func waitForLock(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		l, err := lockPath(ctx, "init")
		if err == nil {
			l.unlock(context.Background()) // want "context.Background\\(\\).*\\[low confidence\\]"
			return nil
		}
	}
}

func (l *distLock) unlock(ctx context.Context) error { return l.Unlock(ctx) }

// The true shape beside them: the same receiver gets ctx, and a lookup (no
// undo verb) gets Background: low (a weak sign).
func lookupAfterAllocate(ctx context.Context, a *allocator) error {
	id, err := a.Allocate(ctx, "app=web")
	if err != nil {
		return err
	}
	return a.Lookup(context.Background(), id) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of lookupAfterAllocate\\): cancellation and deadlines of ctx do not reach the work done .*\\[low confidence\\]"
}

// A name that merely starts like an undo verb is not one: not an undo call; Background beside a used ctx is low.
func (l *distLock) Unlocked(ctx context.Context) bool { return ctx.Err() == nil }

func checkHeld(ctx context.Context, l *distLock) bool {
	if err := l.Refresh(ctx); err != nil {
		return false
	}
	return l.Unlocked(context.Background()) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of checkHeld\\): cancellation and deadlines of ctx do not reach the work done .*\\[low confidence\\]"
}

// Logging does no cancellable work: a slog level check (cilium's prober)
// and a logging helper (minio's auditLogInternal, xxxLogIf): low.
func probe(logger *slog.Logger, host string, ctx context.Context) {
	if logger.Enabled(context.Background(), slog.LevelDebug) { // want "context.Background\\(\\).*\\[low confidence\\]"
		logger.Debug("probing", "host", host)
	}
}

func auditLogInternal(ctx context.Context, event string) { _ = ctx.Value("req") }
func s3LogIf(ctx context.Context, err error)             { _ = ctx.Value("req") }

func scanFolder(ctx context.Context, folders []string) error {
	for range folders {
		if err := ctx.Err(); err != nil {
			return err
		}
		auditLogInternal(context.Background(), "scanner:manyprefixes") // want "context.Background\\(\\).*\\[low confidence\\]"
		s3LogIf(context.Background(), nil)                             // want "context.Background\\(\\).*\\[low confidence\\]"
	}
	return nil
}

// Reading logs back is work like any other: not a logging call; Background beside a used ctx is low.
func getLogs(ctx context.Context, node string) ([]string, error) { return nil, ctx.Err() }
func login(ctx context.Context, user string) error                { return ctx.Err() }

func collect(ctx context.Context, nodes []string) error {
	for _, n := range nodes {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := getLogs(context.Background(), n); err != nil { // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of collect\\).*\\[low confidence\\]"
			return err
		}
	}
	return nil
}

func signIn(ctx context.Context, user string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return login(context.Background(), user) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of signIn\\).*\\[low confidence\\]"
}

// Trace propagation: a fresh root per received message, reparented from
// its headers (alertmanager's inhibitor): low. Without the Extract the
// loop's cancellation is simply lost: low: the ctx is used elsewhere (a weak sign).
type propagator struct{}

func (propagator) Extract(ctx context.Context, carrier map[string]string) context.Context { return ctx }

type message struct {
	Header map[string]string
	Data   string
}

func process(ctx context.Context, d string) error { return ctx.Err() }

func run(ctx context.Context, p propagator, in <-chan message) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-in:
			traceCtx := context.Background() // want "context.Background\\(\\).*\\[low confidence\\]"
			if m.Header != nil {
				traceCtx = p.Extract(traceCtx, m.Header)
			}
			process(traceCtx, m.Data)
		}
	}
}

func runPlain(ctx context.Context, in <-chan message) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-in:
			mctx := context.Background() // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of runPlain\\).*\\[low confidence\\]"
			process(mctx, m.Data)
		}
	}
}

// Work reached only when ctx is already done: a guard returns unless it is
// cancelled (temporal's cancelOutstandingPoll tells the matching service the
// poller is gone): low. The usual guard (return when ctx is done, then
// work) was a sign that the cancellation was meant to reach it; a weak one: low too.
type matching struct{}

func (matching) CancelPoll(ctx context.Context, id string) error { return ctx.Err() }
func (matching) Poll(ctx context.Context, id string) error       { return ctx.Err() }

func cancelOutstandingPoll(ctx context.Context, m matching, id string) bool {
	if !errors.Is(ctx.Err(), context.Canceled) {
		return false
	}


	m.CancelPoll(context.Background(), id) // want "context.Background\\(\\).*\\[low confidence\\]"
	return true
}

func pollOnce(ctx context.Context, m matching, id string) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}


	return m.Poll(context.Background(), id) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of pollOnce\\).*\\[low confidence\\]"
}
