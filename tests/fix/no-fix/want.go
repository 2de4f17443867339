package fix

import (
	"context"
	"sync"
	"time"
)

// Look-alikes of the fixable shapes where an edit could change what the
// program does: every finding stays, no file changes.

// The Add is not the goroutine's first statement: a goroutine that
// returns early would not have counted itself.
func addLater(items []int, skip func(int) bool) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func(it int) {
			if skip(it) {
				return
			}
			wg.Add(1)
			defer wg.Done()
		}(it)
	}
	wg.Wait()
}

// The count is not a constant.
func addN(parts [][]int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		go func(p []int) {
			wg.Add(len(p))
			for range p {
				wg.Done()
			}
		}(p)
	}
	wg.Wait()
}

// The group reaches the goroutine as its parameter.
func byParam(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		go func(g *sync.WaitGroup, j int) {
			g.Add(1)
			defer g.Done()
			_ = j
		}(&wg, j)
	}
	wg.Wait()
}

// The context is returned: cancelling it at return would break the caller.
func detach(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second)
	return ctx
}

// A context per iteration: a deferred cancel would wait for the function.
func perItem(parent context.Context, items []int, do func(context.Context, int)) {
	for _, it := range items {
		ctx, _ := context.WithCancel(parent)
		do(ctx, it)
	}
}

// The context goes to a goroutine that may outlive the function.
func background(parent context.Context, do func(context.Context)) {
	ctx, _ := context.WithCancel(parent)
	go do(ctx)
}
