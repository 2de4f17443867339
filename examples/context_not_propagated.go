package darkpatterns

// Pattern: context not propagated (seed, chapter 1 table).
// The handler receives ctx but calls the database with
// context.Background(): when the client goes away or the deadline passes,
// the query keeps running.
// Fix: pass ctx down.

import "context"

func query(ctx context.Context, q string) error {
	<-ctx.Done()
	return ctx.Err()
}

func handle(ctx context.Context) error {
	return query(context.Background(), "select 1") // GD506: should pass ctx
}

func handleFixed(ctx context.Context) error {
	return query(ctx, "select 1")
}
