package handlers

// contextcheck's shapes where the callee takes a ctx but does not read it
// yet (a stub): nothing is lost today, so godark reports them at low
// confidence; the same shapes with a callee that uses its ctx are in
// across_calls.go at the default confidence.

import (
	"context"
	"net/http"
)

func stubSink(ctx context.Context) {}

func stubRender(ctx context.Context, w http.ResponseWriter, r *http.Request) {}

// makes its own context for a stub
func warmStub() {
	stubSink(context.TODO())
}

func warmStubTwice() {
	warmStub()
}

func startStubs(ctx context.Context) {
	defer stubSink(ctx)
	go stubSink(ctx)
	stubSink(ctx)
	warmStub()                      // want "warmStub makes its own context.TODO\\(\\) although ctx is in scope.*\\[low confidence\\]"
	warmStubTwice()                 // want "the call path warmStubTwice -> warmStub makes its own context.TODO\\(\\).*\\[low confidence\\]"
	stubSink(context.Background())  // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of startStubs\\).*\\[low confidence\\]"
	func(ctx context.Context) { stubSink(ctx) }(ctx)
}

func resetStub(ctx context.Context) {
	stubSink(ctx)
	ctx = context.Background() // want "context.Background\\(\\) is used although ctx is in scope.*\\[low confidence\\]"
	stubSink(ctx)
}

func serveStub(w http.ResponseWriter, r *http.Request) {
	stubRender(r.Context(), w, r)
	stubRender(context.Background(), w, r) // want "context.Background\\(\\) is used although r.Context\\(\\) is in scope.*\\[low confidence\\]"
}

func routeStubs() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		stubRender(context.Background(), w, r) // want "context.Background\\(\\) is used although r.Context\\(\\) is in scope.*\\[low confidence\\]"
		serveStub(w, r)
	})
}

type stubNums[T int | float64] []T

func (s stubNums[T]) total(ctx context.Context) T {
	warmStub() // want "warmStub makes its own context.TODO\\(\\).*\\[low confidence\\]"
	var sum T
	for _, v := range s {
		sum += v
	}
	return sum
}

func stubMax[T int | float64](ctx context.Context, a, b T) T {
	warmStub() // want "warmStub makes its own context.TODO\\(\\).*\\[low confidence\\]"
	if a > b {
		return a
	}
	return b
}
