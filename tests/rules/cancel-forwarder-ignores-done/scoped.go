package cancel_forwarder_ignores_done

import (
	"context"
	"time"
)

// The forwarder also waits on a context whose cancel the function defers
// (kad-dht's optimistic provide: innerCtx ends when the function returns),
// so it never outlives the call. Silent.
func provideScoped(outer context.Context, base context.Context, put func(context.Context)) {
	putCtx, putCancel := context.WithTimeout(base, time.Minute)
	inner, innerCancel := context.WithCancel(outer)
	defer innerCancel()
	go func() {
		select {
		case <-outer.Done():
			putCancel()
		case <-inner.Done():
		}
	}()
	put(putCtx)
}

// The same when the inner context's cancel is not deferred: after the
// function returns the goroutine still waits for outer alone.
func provideLeaky(outer context.Context, base context.Context, put func(context.Context)) context.CancelFunc {
	putCtx, putCancel := context.WithTimeout(base, time.Minute)
	inner, innerCancel := context.WithCancel(outer)
	go func() {
		select { // want "waits only for outer.Done\\(\\) or inner.Done\\(\\) before it calls putCancel, never for putCtx.Done\\(\\)"
		case <-outer.Done():
			putCancel()
		case <-inner.Done():
		}
	}()
	put(putCtx)
	return innerCancel
}
