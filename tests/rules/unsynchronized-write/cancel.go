package unsynchronized_write

import (
	"context"
	"time"
)

// clickhouse-go's examples: a goroutine cancels the context of a query;
// the spawner reuses cancel once the query, handed that context, failed.
// The query returns because of the cancel, so the write is ordered after
// the goroutine's call in practice: low.
func cancelQuery(query func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		cancel()
	}()
	if err := query(ctx); err == nil {
		return err
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Second) // want "cancel is written here by the spawner after starting the goroutine at line [0-9]+, which reads it \\(line [0-9]+\\), with no lock or join in between: a data race \\[low confidence\\]$"
	defer cancel()
	return query(ctx)
}

// The query takes another context: nothing orders the write.
func cancelOther(query func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		cancel()
	}()
	_ = query(context.TODO())
	cancel = func() {} // want "cancel is written here by the spawner after starting the goroutine at line [0-9]+, which reads it \\(line [0-9]+\\), with no lock or join in between: a data race$"
	cancel()
	return ctx.Err()
}
