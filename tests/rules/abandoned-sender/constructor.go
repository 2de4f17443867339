package abandoned_sender

import (
	"context"
	"errors"
	"time"
)

// Channels returned by constructors whose own goroutine feeds them: each
// call acts as a make whose sender starts at once (codeskyblue/go-sh#26).
// The finding is at the constructor's send, one per abandoning call.

var errTimeout = errors.New("timeout")

func goFunc(f func() error) chan error {
	ch := make(chan error)
	go func() {
		ch <- f() // want "this send blocks forever when waitTimeout returns at line 26 in the `<-time.After\\(d\\)` case before receiving from the channel goFunc returns: the goroutine started by the call of goFunc at line 27 leaks$"
	}()
	return ch
}

func waitTimeout(wait func() error, d time.Duration) (err error) {
	select {
	case <-time.After(d):
		return errTimeout
	case err = <-goFunc(wait):
		return err
	}
}

// Held in a variable, abandoned by a ctx.Done case.
func startCall(call func() (int, error)) <-chan result2 {
	out := make(chan result2)
	go func() {
		n, err := call()
		out <- result2{n, err} // want "when callCtx returns at line 53 in the `<-ctx.Done\\(\\)` case before receiving from res: the goroutine started by the call of startCall at line 48 leaks$"
	}()
	return out
}

type result2 struct {
	n   int
	err error
}

func callCtx(ctx context.Context, call func() (int, error)) (int, error) {
	res := startCall(call)
	select {
	case r := <-res:
		return r.n, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// An early return between the call and the receive.
func asyncErr(f func() error) <-chan error {
	ch := make(chan error)
	go func() {
		defer close(ch)
		ch <- f() // want "when prepareThenWait returns at line 70 when `err != nil` before receiving from errc"
	}()
	return ch
}

func prepareThenWait(f, prep func() error) error {
	errc := asyncErr(f)
	if err := prep(); err != nil {
		return err
	}
	return <-errc
}

// The result dropped: nobody can ever receive.
type server struct{ stop func() error }

func (s *server) shutdownAsync() <-chan error {
	done := make(chan error)
	go func() {
		done <- s.stop() // want "this send blocks forever: the channel shutdownAsync returns is dropped at line 87, so nobody can receive from it and the goroutine shutdownAsync starts leaks$" "dropped at line 88"
	}()
	return done
}

func (s *server) restart() {
	s.shutdownAsync()
	_ = s.shutdownAsync()
}

// A conditional send on a dropped channel still blocks when it runs.
func maybeErr(f func() error) chan error {
	ch := make(chan error)
	go func() {
		if err := f(); err != nil {
			ch <- err // want "dropped at line 103"
		}
	}()
	return ch
}

func fireAndForget(f func() error) {
	maybeErr(f)
}

// --- The fix and look-alikes: silent. ---

// The fix: a buffer of one in the constructor.
func goBuffered(f func() error) chan error {
	ch := make(chan error, 1)
	go func() {
		ch <- f()
	}()
	return ch
}

func waitTimeoutFixed(wait func() error, d time.Duration) (err error) {
	select {
	case <-time.After(d):
		return errTimeout
	case err = <-goBuffered(wait):
		return err
	}
}

func restartBuffered(f func() error) {
	goBuffered(f)
}

// The constructor only closes its channel (a done signal): no send blocks.
func doneWhen(f func()) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		f()
		close(ch)
	}()
	return ch
}

func waitDone(f func(), d time.Duration) bool {
	select {
	case <-doneWhen(f):
		return true
	case <-time.After(d):
		return false
	}
}

// A stream (sends in a loop, then close) is not a one-shot result.
func generate(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

func firstEven(n int) int {
	for v := range generate(n) {
		if v%2 == 0 {
			return v
		}
	}
	return -1
}

// The caller always receives.
func waitAll(f func() error) error {
	if err := <-goFunc(f); err != nil {
		return err
	}
	errc := goFunc(f)
	return <-errc
}

// The goroutine gives up on the context too.
func goCtx(ctx context.Context, f func() error) <-chan error {
	ch := make(chan error)
	go func() {
		select {
		case ch <- f():
		case <-ctx.Done():
		}
	}()
	return ch
}

func waitCtx(ctx context.Context, f func() error) error {
	select {
	case err := <-goCtx(ctx, f):
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// The constructor keeps the channel too, or starts the goroutine only
// sometimes: not a plain feeding constructor.
type holder struct{ last chan error }

func (h *holder) goKept(f func() error) chan error {
	ch := make(chan error)
	h.last = ch
	go func() { ch <- f() }()
	return ch
}

func goMaybe(f func() error) chan error {
	ch := make(chan error)
	if f != nil {
		go func() { ch <- f() }()
	}
	return ch
}

func useKeptAndMaybe(h *holder, f func() error) {
	h.goKept(f)
	goMaybe(f)
}

// The caller hands the channel on: someone else may receive.
func passOn(f func() error) chan error {
	return goFunc(f)
}

func passOnVar(f func() error, sink func(chan error)) {
	ch := goFunc(f)
	sink(ch)
}

// A second goroutine of the caller receives it.
func relay(f func() error, out chan<- error) {
	ch := goFunc(f)
	go func() { out <- <-ch }()
}
