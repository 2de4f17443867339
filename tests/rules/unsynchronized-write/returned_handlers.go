package unsynchronized_write

// A request handler returned by the function that makes it shares that
// function's variables among all its calls (low confidence).

import (
	"context"
	"net/http"
	"sync"
)

type ConsumeFunc func(ctx context.Context, batch []string) error

func NewConsumer(process func(context.Context, []string) ([]string, error), next ConsumeFunc) (ConsumeFunc, error) {
	var err error
	c := ConsumeFunc(func(ctx context.Context, batch []string) error {
		batch, err = process(ctx, batch) // want "err belongs to NewConsumer, which returns this func literal; the literal handles a request"
		if err != nil {
			return err
		}
		return next(ctx, batch)
	})
	return c, nil
}

// Fixed: each call declares its own err.
func NewConsumerFixed(process func(context.Context, []string) ([]string, error), next ConsumeFunc) (ConsumeFunc, error) {
	c := ConsumeFunc(func(ctx context.Context, batch []string) error {
		batch, err := process(ctx, batch)
		if err != nil {
			return err
		}
		return next(ctx, batch)
	})
	return c, nil
}

func CountingHandler() http.HandlerFunc {
	hits := 0
	return func(w http.ResponseWriter, r *http.Request) {
		hits++ // want "hits belongs to CountingHandler, which returns this func literal"
	}
}

// Fixed: a mutex guards the shared count.
func CountingHandlerLocked() http.HandlerFunc {
	var mu sync.Mutex
	hits := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits = hits + 1
		mu.Unlock()
	}
}

// Look-alikes: a callback run at once (not returned), and a returned
// closure that is no request handler (a generator).
func RunOnce(ctx context.Context, do func(func(context.Context) error) error) (int, error) {
	n := 0
	err := do(func(ctx context.Context) error {
		n = 1
		return nil
	})
	return n, err
}

func Counter() func() int {
	i := 0
	return func() int {
		i = i + 1
		return i
	}
}
