package write_under_read_lock

import (
	"sync"
	"testing"
)

// A test's fake service: its callbacks run on the test's own goroutine, and
// `go test -race` runs this code: low (go-kit's cloudwatch mock).
type fakeService struct {
	mtx      sync.RWMutex
	received map[string][]float64
}

func (f *fakeService) put(name string, v float64) {
	f.mtx.Lock()
	defer f.mtx.Unlock()
	f.received[name] = append(f.received[name], v)
}

func TestFakeDrain(t *testing.T) {
	f := &fakeService{received: map[string][]float64{}}
	f.put("a", 1)
	drain := func(name string) []float64 {
		f.mtx.RLock()
		defer f.mtx.RUnlock()
		vs := f.received[name]
		delete(f.received, name) // want "map f.received is written .*\\(in a test file\\).*\\[low confidence\\]"
		return vs
	}
	if len(drain("a")) != 1 {
		t.Fatal("want one value")
	}
}
