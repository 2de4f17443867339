package unsynchronized_write

import "testing"

// The goroutine would race on called, but the test fails whenever it
// writes: the write happens only in a failing run. Low, like every race on
// a test's own variables.
func TestInvalidNeverCalls(t *testing.T) {
	called := false
	go func() {
		called = true
	}()
	if called { // want "called is written by the goroutine .*\\[low confidence\\]"
		t.Fatal("invalid request reached the lookup")
	}
}

// Look-alike: the test expects the flag set: a race, but in a test file
// (the race detector runs this code) every finding of a test's own
// variables is low.
func TestValidCalls(t *testing.T) {
	called := false
	go func() {
		called = true
	}()
	if !called { // want "called is written by the goroutine started at line [0-9]+ \\(line [0-9]+\\) and read here by the spawner after the spawn, with no lock or join in between: a data race \\[low confidence\\]$"
		t.Log("not yet")
	}
}
