package fixed

import (
	"context"
	"testing"

	"realbugs/internal/together"
)

// Several receivers push batches through the same processor at once.
func TestConcurrentConsume(t *testing.T) {
	sink := ConsumeTracesFunc(func(context.Context, Traces) error { return nil })
	p, err := NewTraces(sink, func(_ context.Context, td Traces) (Traces, error) { return td, nil })
	if err != nil {
		t.Fatal(err)
	}
	together.Run(4, func() {
		for j := 0; j < 2000; j++ {
			if err := p.ConsumeTraces(context.Background(), Traces{spans: []string{"a"}}); err != nil {
				t.Error(err)
				return
			}
		}
	})
}
