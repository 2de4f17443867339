// Upstream: https://github.com/open-telemetry/opentelemetry-collector/pull/11349
// Project: open-telemetry/opentelemetry-collector (processor/processorhelper)
// Bug: NewTraces declares `err` for its own setup, then builds the consumer
// func, which assigns the processing result to that same captured `err`
// (`td, err = tracesFunc(ctx, td)`). The consumer is called concurrently by
// every pipeline that feeds the processor, so all calls share one `err`: a
// data race, and one call can see another's nil and crash on its result.
// Kind: race
// Want: GD601
package otelcollector11349

import (
	"context"
	"errors"
	"sync/atomic"
)

// ErrSkipProcessingData is a sentinel value to indicate when traces or
// metrics should intentionally be dropped from further processing.
var ErrSkipProcessingData = errors.New("sentinel error to skip processing data from the remainder of the pipeline")

var errNilFunc = errors.New("nil processor func")

// Traces is the pdata of one batch of spans.
type Traces struct{ spans []string }

func (td Traces) SpanCount() int { return len(td.spans) }

// ConsumeTracesFunc is a helper function that is similar to ConsumeTraces.
type ConsumeTracesFunc func(ctx context.Context, td Traces) error

func (f ConsumeTracesFunc) ConsumeTraces(ctx context.Context, td Traces) error {
	return f(ctx, td)
}

// Traces is the consumer interface of a pipeline stage.
type TracesConsumer interface {
	ConsumeTraces(ctx context.Context, td Traces) error
}

// ProcessTracesFunc is a helper function that processes the incoming data.
type ProcessTracesFunc func(context.Context, Traces) (Traces, error)

type obsReport struct{ in, out atomic.Int64 }

func newObsReport() (*obsReport, error) { return &obsReport{}, nil }

func (or *obsReport) recordInOut(_ context.Context, incoming, outgoing int) {
	or.in.Add(int64(incoming))
	or.out.Add(int64(outgoing))
}

// NewTraces creates a processor.Traces that ensure context propagation.
func NewTraces(nextConsumer TracesConsumer, tracesFunc ProcessTracesFunc) (TracesConsumer, error) {
	if tracesFunc == nil {
		return nil, errNilFunc
	}

	obs, err := newObsReport()
	if err != nil {
		return nil, err
	}

	traceConsumer := ConsumeTracesFunc(func(ctx context.Context, td Traces) error {
		recordsIn := td.SpanCount()
		td, err = tracesFunc(ctx, td) // BUG: every concurrent call writes NewTraces' err
		if err != nil {
			if errors.Is(err, ErrSkipProcessingData) {
				return nil
			}
			return err
		}
		recordsOut := td.SpanCount()
		obs.recordInOut(ctx, recordsIn, recordsOut)
		return nextConsumer.ConsumeTraces(ctx, td)
	})
	return traceConsumer, nil
}
