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

// quic-go's path manager test: the first value was received in a select
// whose default fails the test, so the second goroutine's send fits in
// the buffer of one.
func TestProbeSecondPath(t *testing.T) {
	probe := func() error { return errors.New("closed") }
	errChan := make(chan error, 1)
	go func() { errChan <- probe() }()
	time.Sleep(time.Millisecond)
	select {
	case err := <-errChan:
		t.Log(err)
	default:
		t.Fatal("should have received an error")
	}
	go func() { errChan <- probe() }()
	time.Sleep(time.Millisecond)
}

// The same with a default that does not fail: nothing may have been
// received, and the second send may find the buffer full.
func TestProbeSecondPathNoFail(t *testing.T) {
	probe := func() error { return errors.New("closed") }
	errChan := make(chan error, 1)
	go func() { errChan <- probe() }() // want "this send blocks forever when TestProbeSecondPathNoFail returns"
	time.Sleep(time.Millisecond)
	select {
	case err := <-errChan:
		t.Log(err)
	default:
		t.Log("nothing yet")
	}
	go func() { errChan <- probe() }() // want "this send blocks forever when TestProbeSecondPathNoFail returns"
	time.Sleep(time.Millisecond)
}

// tailscale's netstack loopback test: the loop counts the dialer's values
// and returns only when both arrived.
func TestLoopbackSteps(t *testing.T) {
	write := func() error { return nil }
	lisStepCh := make(chan error, 2)
	lisStepCh <- nil
	lisStepCh <- nil
	dialerStepCh := make(chan error)
	go func() {
		dialerStepCh <- write()
		dialerStepCh <- write()
	}()
	var dialerSteps, lisSteps int
	for {
		select {
		case err := <-lisStepCh:
			if err != nil {
				t.Fatal(err)
			}
			lisSteps++
			if dialerSteps == 2 && lisSteps == 2 {
				return
			}
		case err := <-dialerStepCh:
			if err != nil {
				t.Fatal(err)
			}
			dialerSteps++
			if dialerSteps == 2 && lisSteps == 2 {
				return
			}
		}
	}
}

// The same loop that also returns on a timeout: that return counts
// nothing, and the dialer blocks forever.
func TestLoopbackStepsTimeout(t *testing.T) {
	write := func() error { return nil }
	lisStepCh := make(chan error, 2)
	dialerStepCh := make(chan error)
	go func() {
		dialerStepCh <- write() // want "this send blocks forever when TestLoopbackStepsTimeout returns"
		dialerStepCh <- write()
	}()
	var dialerSteps, lisSteps int
	for {
		select {
		case <-lisStepCh:
			lisSteps++
			if dialerSteps == 2 && lisSteps == 2 {
				return
			}
		case <-dialerStepCh:
			dialerSteps++
			if dialerSteps == 2 && lisSteps == 2 {
				return
			}
		case <-time.After(time.Second):
			return
		}
	}
}
