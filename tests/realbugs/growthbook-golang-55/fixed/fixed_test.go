package fixed

import (
	"context"
	"testing"
	"time"
)

// The client is closed twice: by its owner and by a deferred cleanup.
func TestCloseWhilePollerStops(t *testing.T) {
	for i := 0; i < 50; i++ {
		ds := NewPollDataSource(time.Millisecond)
		if err := ds.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		_ = ds.Close()
		time.Sleep(time.Millisecond)
		_ = ds.Close()
	}
}
