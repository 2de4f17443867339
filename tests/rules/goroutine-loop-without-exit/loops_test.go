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

func TestProfileInit(t *testing.T) {
	sig := make(chan int)
	profileInit(sig, func() {})
	profileInit(sig, func() {})
}
