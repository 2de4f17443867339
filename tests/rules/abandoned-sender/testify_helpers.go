package abandoned_sender

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// pion's waitWithTimeout: the done channel is abandoned only on the
// timeout path, which fails the test first (assert.Fail): low.
func waitAll(t *testing.T, wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		done <- struct{}{} // want "this send blocks forever when waitAll returns .*\\[low confidence\\]"
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		assert.Fail(t, "timed out waiting")
	}
}

// The same timeout path without a failure: the test passes and the
// goroutine stays blocked. (This is a test helper in a non-test file, as
// in a testutil package: in _test.go files GD103 reports at low
// confidence anyway.)
func waitQuietly(t *testing.T, wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		done <- struct{}{} // want "this send blocks forever when waitQuietly returns at the end of the function after the `<-time.After\\(5 \\* time.Second\\)` case.*leaks$"
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Log("gave up")
	}
}
