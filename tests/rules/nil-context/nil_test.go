package nil_context

import "testing"

// A test of nil handling passes nil on purpose.
func TestTakesNilContext(t *testing.T) {
	takesCtx(nil) // want "the test.s name says the nil is deliberate.*\\[low confidence\\]"
}

// Any other nil in a test: a path that used it would panic the first time
// the test ran, so what survives is a nil the pinned path never touches.
func TestLazy(t *testing.T) {
	takesCtx(nil) // want "context.Context of takesCtx.*in a test: a nil the tested path used would fail it at once.*\\[low confidence\\]"
	//nolint:staticcheck // checks that a nil context is tolerated
	takesCtx(nil) // want "\\[low confidence\\]"
}
