// Package related: leak findings and the related locations they carry
// (issue 13): the goroutine's go statement, and what gave up on it.
package related

import (
	"context"
	"time"
)

// GD103: the ctx.Done case returns before receiving.
func fetch(ctx context.Context, get func() string) string {
	ch := make(chan string)
	go func() {
		ch <- get()
	}()
	select {
	case s := <-ch:
		return s
	case <-ctx.Done():
		return ""
	}
}

// GD103: the timeout case falls through to the end of the function.
func wait(d time.Duration, run func() error) {
	errCh := make(chan error)
	go func() {
		errCh <- run()
	}()
	select {
	case <-errCh:
	case <-time.After(d):
	}
}

// GD104: an early return leaves the consumer ranging over ch forever.
func feed(items []int, bad func(int) bool, use func(int)) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			use(v)
		}
	}()
	for _, it := range items {
		if bad(it) {
			return
		}
		ch <- it
	}
	close(ch)
}
