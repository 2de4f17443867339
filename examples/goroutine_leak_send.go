package darkpatterns

// Pattern: goroutine leak by an abandoned send (seed, 2.2).
// The worker sends its result on an unbuffered channel, but the caller
// returns on timeout and never receives: the worker blocks in "chan send"
// forever, and every timed-out call leaks one goroutine.
// Fix: a buffer for the one send (make(chan int, 1)), or a select on a done
// channel in the sender.
// `godark check` reports it (GD103); `godark goroutines` finds it in a
// running service's goroutine dump.

import (
	"context"
	"time"
)

func slowSquare(x int) int {
	time.Sleep(10 * time.Millisecond)
	return x * x
}

func squareWithTimeout(ctx context.Context, x int) (int, error) {
	ch := make(chan int)
	go func() {
		ch <- slowSquare(x) // GD103: blocks forever once the caller has gone
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func squareWithTimeoutFixed(ctx context.Context, x int) (int, error) {
	ch := make(chan int, 1) // the send never blocks
	go func() {
		ch <- slowSquare(x)
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
