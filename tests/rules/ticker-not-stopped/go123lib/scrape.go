package scrape

import (
	"context"
	"time"
)

// Library on go 1.23: collected once unreferenced if the main module also
// says go >= 1.23, so low confidence.
func Poll(ctx context.Context, f func() bool) {
	tk := time.NewTicker(time.Second) // want "go.mod says go 1.23, so it is collected once unreferenced"
	for {
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
			if f() {
				return
			}
		}
	}
}
