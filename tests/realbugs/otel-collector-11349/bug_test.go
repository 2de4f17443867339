package otelcollector11349

import (
	"context"
	"sync"
	"testing"
)

// Several receivers push batches through the same processor at once.
func TestConcurrentConsume(t *testing.T) {
	sink := ConsumeTracesFunc(func(context.Context, Traces) error { return nil })
	p, err := NewTraces(sink, func(_ context.Context, td Traces) (Traces, error) { return td, nil })
	if err != nil {
		t.Fatal(err)
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for j := 0; j < 2000; j++ {
				if err := p.ConsumeTraces(context.Background(), Traces{spans: []string{"a"}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
}
