package orphan

import "testing"

func TestSink(t *testing.T) {
	s := newSink()
	go func() { s.feed <- 1 }()
	if s.one() != 1 {
		t.Fatal("bad")
	}
}
