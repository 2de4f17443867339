package handlers

import (
	"context"
	"testing"
)

type topoServer struct{}

func (ts *topoServer) CreateKeyspace(ctx context.Context, name string) error { return ctx.Err() }
func (ts *topoServer) ConnForCell(ctx context.Context, cell string) error   { return ctx.Err() }
func (ts *topoServer) List(ctx context.Context) error                       { return ctx.Err() }

// A test helper (it takes a *testing.T) that uses the test's ctx and
// Background beside it (vitess's topo tests): only the test's deadline is
// missed, as in a _test.go file: low confidence.
func checkLock(t *testing.T, ctx context.Context, ts *topoServer) {
	if err := ts.CreateKeyspace(ctx, "ks"); err != nil {
		t.Fatal(err)
	}
	if err := ts.ConnForCell(context.Background(), "global"); err != nil { // want "context.Background\\(\\).*\\[low confidence\\]"
		t.Fatal(err)
	}
}

// A helper that never uses its ctx at all (docker's ActiveContainers):
// plainly not wired through, high even in a test helper.
func listAll(ctx context.Context, t testing.TB, ts *topoServer) {
	if err := ts.List(context.Background()); err != nil { // want "context.Background\\(\\) is used although ctx is in scope"
		t.Fatal(err)
	}
}
