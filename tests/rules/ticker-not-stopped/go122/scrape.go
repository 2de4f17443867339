package scrape

import (
	"context"
	"time"
)

type Target struct{ URL string }

func fetch(Target) error { return nil }

// Scrape polls a target until it answers or ctx ends.
func Scrape(ctx context.Context, t Target) error {
	tk := time.NewTicker(5 * time.Second) // want "go.mod says go 1.22: an unstopped ticker is never garbage collected and keeps firing, so it leaks when the function returns"
	for {
		if err := fetch(t); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tk.C:
		}
	}
}

// Silent: stopped.
func ScrapeStopped(ctx context.Context, t Target) error {
	tk := time.NewTicker(5 * time.Second)
	defer tk.Stop()
	for {
		if err := fetch(t); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tk.C:
		}
	}
}
