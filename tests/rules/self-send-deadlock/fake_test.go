package selfsend

import "testing"

// A test fake whose loop puts a value back: in a test file, low confidence.
type fakeStream struct{ resp chan int }

func newFakeStream() *fakeStream {
	f := &fakeStream{resp: make(chan int)}
	go f.serve()
	return f
}

func (f *fakeStream) serve() {
	for v := range f.resp {
		if v < 0 {
			f.resp <- v // want "this send on f.resp blocks forever.*\\[low confidence\\]$"
			return
		}
	}
}

func TestFake(t *testing.T) {
	f := newFakeStream()
	f.resp <- 1
}
