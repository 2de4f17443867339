package abandoned_sender

import (
	"errors"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
)

// go-redis' blocking-command specs: every path that leaves without
// receiving from done calls Ginkgo's Fail, which panics (the spec fails).
func blpopBlocks(blpop func() error) {
	started := make(chan bool)
	done := make(chan bool)
	go func() {
		defer GinkgoRecover()
		started <- true
		_ = blpop()
		done <- true
	}()
	<-started
	select {
	case <-done:
		Fail("BLPop is not blocked")
	case <-time.After(time.Second):
	}
	select {
	case <-done:
	case <-time.After(time.Second):
		Fail("BLPop is still blocked")
	}
}

// The same without Fail on the second timeout: done is abandoned there.
func blpopLeaks(blpop func() error) {
	done := make(chan bool)
	go func() {
		_ = blpop()
		done <- true // want "this send blocks forever when blpopLeaks returns .* before receiving from done"
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		GinkgoWriter.Println("still blocked")
	}
}

// docker's queue test: the first send was received before the second
// goroutine starts, so its send fits in the buffer of one.
func TestQueueSecondSender(t *testing.T) {
	enqueue := func() error { return errors.New("closed") }
	chAdd := make(chan error, 1)
	go func() {
		chAdd <- enqueue()
	}()
	if err := <-chAdd; err == nil {
		t.Log("ok")
	}
	go func() {
		chAdd <- enqueue()
	}()
	select {
	case <-time.After(5 * time.Second):
	case err := <-chAdd:
		t.Log(err)
	}
}

// Two goroutines started before anything is received: the buffer of one
// holds only one of their sends.
func TestQueueTwoSenders(t *testing.T) {
	enqueue := func() error { return nil }
	chAdd := make(chan error, 1)
	go func() {
		chAdd <- enqueue() // want "this send blocks forever when TestQueueTwoSenders returns"
	}()
	go func() {
		chAdd <- enqueue() // want "this send blocks forever when TestQueueTwoSenders returns .* receiving"
	}()
	select {
	case <-time.After(5 * time.Second):
	case err := <-chAdd:
		t.Log(err)
	}
}
