package handlers

import (
	"context"
	"testing"
)

// Tests pass Background on purpose.
func TestSync(t *testing.T) {
	c := &Controller{}
	_ = c.syncPod(context.Background(), "x")
}

// A test helper with a ctx that still uses Background: low in tests.
func fetchAll(ctx context.Context, c *Controller) {
	_, _ = c.client.Get(context.Background(), "a") // want "context.Background\\(\\).*\\[low confidence\\]"
	_ = c.client.Delete(ctx, "b")
}

type harness struct {
	ctx context.Context
}
