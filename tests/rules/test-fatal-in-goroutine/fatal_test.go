package fatal

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"errors"
	"sync"
	"testing"
)

func dial(addr string) error {
	if addr == "" {
		return errors.New("no address")
	}
	return nil
}

// The shape of many flaky integration tests: t.Fatal in a worker goroutine.
func TestDialAll(t *testing.T) {
	var wg sync.WaitGroup
	for _, a := range []string{"a", "b"} {
		wg.Add(1)
		go func(a string) {
			defer wg.Done()
			if err := dial(a); err != nil {
				t.Fatalf("dial %s: %v", a, err) // want "t.Fatalf is called from a goroutine the test started"
			}
		}(a)
	}
	wg.Wait()
}

// Skip and FailNow too, on a benchmark.
func BenchmarkServe(b *testing.B) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := dial(""); err != nil {
			b.Skip("no server") // want "b.Skip is called from a goroutine"
		}
		b.FailNow() // want "b.FailNow is called from a goroutine"
	}()
	<-done
}

// Through testing.TB in a helper that starts the goroutine.
func startServer(tb testing.TB) {
	go func() {
		if err := dial(""); err != nil {
			tb.Fatal(err) // want "tb.Fatal is called from a goroutine"
		}
	}()
}

// A deferred closure inside the goroutine still runs in it.
func TestDeferred(t *testing.T) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatal(r) // want "t.Fatal is called from a goroutine"
			}
		}()
	}()
}

// ---- look-alikes that must stay silent ----

// t.Error in the goroutine is fine.
func TestDialAllError(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := dial(""); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
}

// Fatal in the test goroutine after collecting the error.
func TestCollect(t *testing.T) {
	errc := make(chan error, 1)
	go func() { errc <- dial("") }()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// A subtest's own t.
func TestSub(t *testing.T) {
	go func() {
		t.Run("inner", func(t *testing.T) {
			t.Fatal("stops the subtest")
		})
	}()
}

// A type that happens to have a Fatal method.
type logger struct{}

func (logger) Fatal(args ...any) {}

func TestLogger(t *testing.T) {
	l := logger{}
	go func() { l.Fatal("not testing") }()
}

// A deferred literal is not a goroutine.
func TestDeferFatal(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatal(r)
		}
	}()
}
