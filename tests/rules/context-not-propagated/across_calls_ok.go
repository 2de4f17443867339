package handlers

// Fixed twins and silent look-alikes of across_calls.go.

import (
	"context"
	"net/http"
)

// fixed twin of loadQuota: takes the context
func loadQuotaCtx(ctx context.Context) {
	consume(ctx)
}

func refreshLimitsCtx(ctx context.Context) {
	loadQuotaCtx(ctx)
}

func serveJobFixed(ctx context.Context) {
	loadQuotaCtx(ctx)
	refreshLimitsCtx(ctx)
}

// a function that makes a context and returns it is a context source, not
// a lost one
func rootContext() context.Context {
	return context.Background()
}

func usesRoot(ctx context.Context) {
	consume(ctx)
	_ = rootContext()
}

// the callee ignores the context it makes: nothing to lose
func ignores(_ context.Context) {}

func makesIgnored() {
	ignores(context.Background())
}

func callsMakesIgnored(ctx context.Context) {
	consume(ctx)
	makesIgnored()
}

// a function with no context calling the fresh one: nothing to pass
func batch() {
	loadQuota()
}

// fixed handler twins
func showPageFixed(w http.ResponseWriter, r *http.Request) {
	render(r.Context(), w, r)
}

// not a handler and never uses r.Context(): no context in scope
func logRequest(r *http.Request, msg string) string {
	consume(context.Background())
	return msg + r.URL.Path
}

// compared, not passed on
func isRoot(ctx context.Context) bool {
	return ctx == context.Background()
}
