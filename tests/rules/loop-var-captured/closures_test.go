package loop_var

// vet's loopclosure shapes beyond `go func`: deferred closures, goroutines
// started by errgroup.Group.Go or WaitGroup.Go, parallel subtests, and
// variables a `for x = range` assigns.

import (
	"sync"
	"testing"

	"golang.org/x/sync/errgroup"
)

func Close(names []string, closeOne func(string)) {
	for _, name := range names {
		if name == "" {
			continue
		}
		defer func() {
			closeOne(name) // want "the deferred closure uses loop variable name"
		}()
	}
}

func Fetch(urls []string, get func(string) error) error {
	var g errgroup.Group
	for _, u := range urls {
		g.Go(func() error {
			return get(u) // want "the goroutine started by g.Go uses loop variable u"
		})
	}
	return g.Wait()
}

func Workers(jobs []int, do func(int)) {
	var wg sync.WaitGroup
	for i := 0; i < len(jobs); i++ {
		wg.Go(func() {
			do(jobs[i]) // want "the goroutine started by wg.Go uses loop variable i"
		})
	}
	wg.Wait()
}

var current string

func Publish(items []string, send func(string)) {
	for current = range items {
		go func() {
			send(current) // want "the goroutine uses loop variable current"
		}()
	}
}

func TestTable(t *testing.T) {
	cases := []struct{ in, want string }{{"a", "a"}}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if tc.in != tc.want { // want "the parallel subtest uses loop variable tc after t.Parallel"
				t.Error("mismatch")
			}
		})
	}
	for i, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			_ = i // before Parallel: Run has not returned yet
			t.Parallel()
			t.Run("inner", func(t *testing.T) {
				_ = tc.want // want "loop variable tc after t.Parallel"
			})
		})
	}
}

// ---- look-alikes that must stay silent ----

// A serial subtest: Run returns only when it is done.
func TestSerial(t *testing.T) {
	for _, tc := range []string{"a", "b"} {
		t.Run(tc, func(t *testing.T) {
			_ = tc
		})
	}
}

// The case copied before Parallel.
func TestCopied(t *testing.T) {
	for _, tc := range []string{"a", "b"} {
		t.Run(tc, func(t *testing.T) {
			tc := tc
			t.Parallel()
			_ = tc
		})
	}
}

// Parallel on another value than the subtest's own t.
func TestOtherParallel(t *testing.T) {
	for _, tc := range []string{"a", "b"} {
		t.Run(tc, func(st *testing.T) {
			var other testing.T
			other.Parallel()
			_ = tc
		})
	}
}

// Only the outer subtest matters: this one is serial, so its parallel child
// ends before the iteration does.
func TestNestedSerial(t *testing.T) {
	for _, tc := range []string{"a", "b"} {
		t.Run(tc, func(s *testing.T) {
			s.Run("child", func(u *testing.T) {
				u.Parallel()
				_ = tc
			})
		})
	}
}

// A Go method of another type, and a struct literal's field name.
type pool struct{}

func (pool) Go(f func() error) {}

type pair struct{ v int }

func Others(xs []int) {
	var p pool
	for _, v := range xs {
		p.Go(func() error { return nil })
		defer func(v int) { _ = pair{v: v} }(v)
	}
}
