package fatal

// go vet's testinggoroutine shapes beyond a literal: a helper started as a
// goroutine, a bare `go t.Fatal()`, and the parent's t in a subtest.

import "testing"

func mustDial(t *testing.T, addr string) {
	if err := dial(addr); err != nil {
		t.Fatalf("dial: %v", err)
	}
}

func requireTB(tb testing.TB) { tb.FailNow() }

// Two calls deep: the first helper passes t on.
func setup(t *testing.T) { mustDial(t, "x") }

func TestGoHelper(t *testing.T) {
	go mustDial(t, "a") // want "mustDial is run as a goroutine the test started and reaches t.Fatalf"
	go requireTB(t)     // want "requireTB is run as a goroutine.*tb.FailNow"
	go setup(t)         // want "setup is run as a goroutine.*t.Fatalf"
}

func TestGoDirect(t *testing.T) {
	go t.Skip("later")  // want "go t.Skip\\(...\\) calls t.Skip in a new goroutine"
	go t.FailNow()      // want "go t.FailNow"
}

// A helper held in a local func literal, and a method.
type fixture struct{}

func (fixture) start(t *testing.T) { t.SkipNow() }

func TestGoLocal(t *testing.T) {
	check := func(tt *testing.T) {
		tt.Fatal("broken")
	}
	go check(t) // want "check is run as a goroutine.*tt.Fatal"
	var fx fixture
	go fx.start(t) // want "fx.start is run as a goroutine.*t.SkipNow"
}

// Generic helper.
func typed[T any](t *testing.T) { t.Fatal("typed") }

func TestGoGeneric(t *testing.T) {
	go typed[int](t) // want "typed is run as a goroutine"
}

// The helper called inside a goroutine literal with the test's t.
func TestHelperInLiteral(t *testing.T) {
	done := make(chan bool)
	go func() {
		defer close(done)
		mustDial(t, "b") // want "mustDial is run in a goroutine the test started"
	}()
	<-done
}

// The parent's t inside a subtest.
func TestParentInSubtest(t *testing.T) {
	t.Run("inner", func(st *testing.T) {
		t.FailNow() // want "t.FailNow is called inside a subtest on the parent test's t"
		st.Fatal("fine: its own t")
	})
	sub := func(st *testing.T) {
		t.Skip("parent") // the finding is on the Run below
	}
	t.Run("named", sub) // want "the subtest function calls t.Skip on the parent test's t"
	t.Run("nested goroutine", func(st *testing.T) {
		go func() {
			t.Fatal("x") // want "t.Fatal is called from a goroutine the test started"
		}()
	})
}

// ---- look-alikes that must stay silent ----

func reportOnly(t *testing.T) { t.Error("soft") }

// The helper only reports; a helper that stops is called on the test's
// own goroutine; a subtest with its own t started from a goroutine.
func TestHelpersFine(t *testing.T) {
	go reportOnly(t)
	mustDial(t, "c")
	sub := func(st *testing.T) { st.Fatal("own t") }
	t.Run("own", sub)
	direct := func(st *testing.T) { st.FailNow() }
	direct(t)
	done := make(chan bool)
	go func() {
		defer close(done)
		t.Run("sub", mustDial2)
	}()
	<-done
}

func mustDial2(t *testing.T) { t.Fatal("in its own subtest") }

// The helper stops only inside a subtest of its own.
func runSub(t *testing.T) {
	t.Run("x", func(st *testing.T) { st.Fatal("ok") })
}

func TestGoRunSub(t *testing.T) {
	go runSub(t)
}

// A method value that is never called, and method expressions.
func TestSelections(t *testing.T) {
	go func() {
		_ = t.FailNow
	}()
}
