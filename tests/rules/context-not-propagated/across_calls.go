package handlers

// golangci-lint's contextcheck, ported in our own words: a function that
// has a ctx calls a same-package function that makes its own context
// instead of taking one, directly or through further such calls.

import (
	"context"
	"net/http"
)

type labelKey string

func consume(ctx context.Context) { _ = ctx.Err() }

// makes its own context: "not wired yet"
func loadQuota() {
	consume(context.TODO())
}

// reaches loadQuota without a context of its own
func refreshLimits() {
	loadQuota()
}

func serveJob(ctx context.Context) {
	defer consume(ctx)
	go consume(ctx)
	consume(ctx)
	ctx = context.WithValue(ctx, labelKey("job"), "j1")
	consume(ctx)

	loadQuota()     // want "loadQuota makes its own context.TODO\\(\\) although ctx is in scope \\(parameter of serveJob\\)"
	refreshLimits() // want "the call path refreshLimits -> loadQuota makes its own context.TODO\\(\\)"

	defer func() {
		consume(ctx)
	}()
	func(inner context.Context) {
		consume(inner)
	}(ctx)

	consume(context.Background()) // want "context.Background\\(\\) is used although ctx is in scope.*\\[low confidence\\]"
}

// the ctx parameter itself replaced by a fresh one
func replaceThenUse(ctx context.Context) {
	consume(ctx)
	ctx = context.Background() // want "context.Background\\(\\) is used although ctx is in scope.*\\[low confidence\\]"
	consume(ctx)
}

func useInPlaceThenReplace(ctx context.Context) {
	func() {
		consume(ctx)
	}()
	ctx = context.Background() // want "context.Background\\(\\) is used although ctx is in scope.*\\[low confidence\\]"
	consume(ctx)
}

// a helper that derives a context from the one it is given: fine
func derive(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(ctx)
}

func deriveAndUse(ctx context.Context) {
	ctx, cancel := derive(ctx)
	defer cancel()
	consume(ctx)
}

/* ---- request handlers: r.Context() is the ctx in scope ---- */

func render(ctx context.Context, w http.ResponseWriter, r *http.Request) { _ = ctx.Err() }

func showPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	render(ctx, w, r)
	render(context.Background(), w, r) // want "context.Background\\(\\) is used although r.Context\\(\\) is in scope \\(request of showPage\\).*\\[low confidence\\]"
}

func showFlagged(flag bool, w http.ResponseWriter, r *http.Request) {
	render(r.Context(), w, r)
	render(context.Background(), w, r) // want "although r.Context\\(\\) is in scope \\(request of showFlagged\\).*\\[low confidence\\]"
}

// TODO in a handler contradicts the request's context: default confidence
func showTodo(w http.ResponseWriter, r *http.Request) {
	render(context.TODO(), w, r) // want "context.TODO\\(\\) is used although r.Context\\(\\) is in scope \\(request of showTodo\\): .*done with it$"
}

func routes() {
	http.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		render(r.Context(), w, r)
		render(context.Background(), w, r) // want "although r.Context\\(\\) is in scope \\(request of the func literal at line [0-9]+\\).*\\[low confidence\\]"
		showPage(w, r)
		showFlagged(true, w, r)
	})
}

/* ---- generic functions and methods ---- */

type Series[T int | float64] []T

func (s Series[T]) total(ctx context.Context) T {
	loadQuota() // want "loadQuota makes its own context.TODO\\(\\)"
	var sum T
	for _, v := range s {
		sum += v
	}
	return sum
}

func largest[T int | float64](ctx context.Context, a, b T) T {
	loadQuota() // want "loadQuota makes its own context.TODO\\(\\)"
	if a > b {
		return a
	}
	return b
}

/* ---- closures returned by a function that has a ctx ---- */

func lookup(ctx context.Context, key string) { _ = ctx.Err() }

// the returned closure could capture ctx but makes its own: low, since it
// may run after the call that supplied ctx has ended
func lookupLater(ctx context.Context, key string) func() {
	return func() {
		lookup(context.Background(), key) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of lookupLater\\).*\\[low confidence\\]"
	}
}

func lookupLaterNested(ctx context.Context, key string) func() func() {
	return func() func() {
		return func() {
			lookup(context.Background(), key) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of lookupLaterNested\\).*\\[low confidence\\]"
		}
	}
}

// fixed twin: the closure captures ctx
func lookupLaterFixed(ctx context.Context, key string) func() {
	return func() {
		lookup(ctx, key)
	}
}
