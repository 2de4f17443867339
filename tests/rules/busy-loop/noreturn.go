package busy_loop

import "testing"

// A same-package function every path of which panics ends its callers'
// paths like panic does: the loop after it is never reached (the Go
// runtime's defer_test has this shape).
func doPanic() {
	panic("test panic")
}

// Calls doPanic on each branch: never returns either (a fixpoint).
func mustFail(ok bool) {
	if ok {
		doPanic()
	} else {
		doPanic()
	}
}

func noExitAfterPanic() {
	doPanic()
	for {
	}
}

func noExitAfterHelper() {
	mustFail(true)
	for {
	}
}

// A helper that fails the test only sometimes returns: still reported.
func maybeFail(t *testing.T, err error) {
	if err != nil {
		t.Fatal(err)
	}
}

func spinAfterMaybe(t *testing.T) {
	maybeFail(t, nil)
	for { // want "empty infinite loop"
	}
}
