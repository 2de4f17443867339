package nil_context

import "testing"

// A test of nil handling passes nil on purpose.
func TestTakesNilContext(t *testing.T) {
	takesCtx(nil) // want "the test.s name says the nil is deliberate.*\\[low confidence\\]"
}

func TestLazy(t *testing.T) {
	takesCtx(nil) // want "context.Context of takesCtx.*hand$"
	//nolint:staticcheck // checks that a nil context is tolerated
	takesCtx(nil) // want "\\[low confidence\\]"
}
