package grown

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"context"
	"time"
)

type traceKey struct{}

func handle(ctx context.Context, job string) error { return nil }

func annotate(ctx context.Context) context.Context { return context.WithValue(ctx, traceKey{}, 1) }

// A worker loop that tags the context of each job into the same variable.
func Worker(ctx context.Context, jobs <-chan string) {
	for job := range jobs {
		ctx = context.WithValue(ctx, traceKey{}, job) // want "ctx = context.WithValue\\(ctx, ...\\) in a loop wraps ctx, declared outside the loop"
		ctx = context.WithValue(ctx, traceKey{}, "again")
		_ = handle(ctx, job)
	}
}

// A retry loop: every attempt's timeout is nested in the previous ones.
func Retry(ctx context.Context, try func(context.Context) error) error {
	var cancel context.CancelFunc
	for attempt := 0; attempt < 3; attempt++ {
		ctx, cancel = context.WithTimeout(ctx, time.Second) // want "ctx = context.WithTimeout\\(ctx, ...\\) in a loop.*deadline.*\\[low confidence\\]"
		err := try(ctx)
		cancel()
		if err == nil {
			return nil
		}
	}
	return nil
}

// A helper returning a context, in an endless loop.
func Poll(ctx context.Context, next func() bool) {
	for next() {
		ctx = annotate(ctx) // want "ctx = annotate\\(ctx, ...\\) in a loop"
	}
}

// A second context, not reset, next to a reset one.
func Two(parent context.Context, items []string) {
	other := parent
	for {
		ctx := parent
		ctx = context.WithValue(ctx, traceKey{}, "fresh each time")
		_ = ctx
		other = context.WithValue(other, traceKey{}, "grows") // want "other = context.WithValue\\(other, ...\\) in a loop"
	}
}

// A field through a pointer the loop copies, and an element of a slice.
type holder struct{ ctx context.Context }

func Fields(h *holder, hs []holder, reqs <-chan int) {
	for r := range reqs {
		p := h
		p.ctx = context.WithValue(p.ctx, traceKey{}, r) // want "p.ctx = context.WithValue"
		hs[0].ctx = context.WithValue(hs[0].ctx, traceKey{}, r) // want "hs\\[0\\].ctx = context.WithValue"
	}
}

// Bounded by the input: low confidence.
func Tag(ctx context.Context, kv map[string]string) context.Context {
	for k, v := range kv {
		ctx = context.WithValue(ctx, k, v) // want "in a loop.*\\[low confidence\\]"
	}
	return ctx
}

// A middleware closure that grows the captured context on every request.
func Middleware(ctx context.Context, next func(context.Context) error) func() error {
	return func() error {
		ctx = annotate(ctx) // want "ctx = annotate\\(ctx, ...\\) in a func literal wraps the captured ctx"
		return next(ctx)
	}
}

// ---- look-alikes that must stay silent ----

// A per-iteration variable.
func WorkerFixed(ctx context.Context, jobs <-chan string) {
	for job := range jobs {
		jctx := context.WithValue(ctx, traceKey{}, job)
		_ = handle(jctx, job)
		ctx := context.WithValue(ctx, traceKey{}, job)
		ctx = context.WithValue(ctx, traceKey{}, "shadowed: fresh each time")
		_ = ctx
	}
}

// The iteration starts from a clean context.
func Reset(ctx context.Context, jobs <-chan string) {
	for job := range jobs {
		ctx = context.Background()
		ctx = context.WithValue(ctx, traceKey{}, job)
		_ = handle(ctx, job)
	}
}

// A loop that breaks at its end but continues on a failure, after the
// assignment: each retry wraps the context again.
func RetryUntilDone(ctx context.Context, next func() bool) context.Context {
	for {
		if !next() {
			ctx = annotate(ctx) // want "ctx = annotate\\(ctx, ...\\) in a loop"
			continue
		}
		break
	}
	for {
		ctx = annotate(ctx) // want "ctx = annotate\\(ctx, ...\\) in a loop"
		if err := handle(ctx, "x"); err != nil {
			continue
		}
		break
	}
	return ctx
}

// The loop leaves right after the assignment: it runs once.
func Once(ctx context.Context, jobs <-chan string) context.Context {
	for job := range jobs {
		if job == "" {
			continue
		}
		ctx = context.WithValue(ctx, traceKey{}, job)
		return ctx
	}
	for {
		ctx = annotate(ctx)
		break
	}
	// A continue before the assignment: each iteration wraps at most once
	// and the loop leaves after the wrap.
	for {
		if job := <-jobs; job == "" {
			continue
		}
		ctx = annotate(ctx)
		break
	}
	return ctx
}

// A closure given its own ctx parameter; a closure run in place.
func Closures(ctx context.Context) {
	f := func(ctx context.Context) context.Context {
		ctx = annotate(ctx)
		return ctx
	}
	_ = f
	func() {
		ctx = annotate(ctx)
	}()
}

// Not a context: an ordinary accumulator.
func Sum(xs []int) int {
	total := 0
	add := func(a, b int) int { return a + b }
	for _, x := range xs {
		total = add(total, x)
	}
	return total
}

// A request struct behind a pointer whose context each call wraps again.
type request struct{ ctx context.Context }

func (r *request) tag(v string) {
	r.ctx = context.WithValue(r.ctx, traceKey{}, v) // want "r.ctx is given a context derived from itself and stored back.*\\[low confidence\\]"
}

func withTrace(r *request) {
	c := r.ctx
	c = annotate(c)
	r.ctx = c // want "r.ctx is given a context derived from itself.*\\[low confidence\\]"
}

// Silent: a value receiver's copy, and a field given a fresh context.
func (r request) tagCopy(v string) context.Context {
	r.ctx = context.WithValue(r.ctx, traceKey{}, v)
	return r.ctx
}

func reset(r *request, parent context.Context) {
	r.ctx = context.WithValue(parent, traceKey{}, "fresh")
}
