package tool

import (
	"context"
	"time"
)

// Code of a command (under cmd/, like package main) lives as long as one
// command: low confidence (containerd's ctr console resizer).
func HandleResize(ctx context.Context, size func() int, resize func(context.Context, int)) {
	go func() {
		prev := size()
		for { // want "polling loop.*\\[low confidence\\]"
			time.Sleep(250 * time.Millisecond)
			if s := size(); s != prev {
				resize(ctx, s)
				prev = s
			}
		}
	}()
}
