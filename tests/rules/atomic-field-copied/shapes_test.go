package shapes

import "testing"

// A test's copy: low.
func TestSnapshot(t *testing.T) {
	s := &Server{}
	s.Serve(1)
	got := *s // want "declaration of got copies \\*s \\(Server\\).*\\[low confidence\\]"
	_ = got
}
