package loops

import (
	"testing"
	"time"
)

func TestWatcherLeak(t *testing.T) {
	done := false
	go func() {
		for { // want "never exits.*\\[low confidence\\]"
			time.Sleep(time.Millisecond)
			_ = done
		}
	}()
}
