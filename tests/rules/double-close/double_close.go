package double_close

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"errors"
	"sync"
)

// Straight-line double close of a local channel.
func twice() {
	ch := make(chan int)
	close(ch)
	close(ch) // want "ch is closed a second time on this path \\(first close at line 13\\)"
}

// A struct field closed in a shutdown method and again in a nested block.
type Server struct {
	done  chan struct{}
	conns chan int
	once  sync.Once
}

func (s *Server) Shutdown(force bool) {
	close(s.done)
	close(s.conns)
	if force {
		close(s.done) // want "s.done is closed a second time on this path"
	}
}

// A second close after an error check that does not return.
func finish(results chan<- int, err error) error {
	close(results)
	if err != nil {
		err = errors.New("wrapped: " + err.Error())
	}
	close(results) // want "results is closed a second time"
	return err
}

// Close inside a loop that goes on: the second iteration panics.
func fanIn(in []int, out chan int) {
	for _, v := range in {
		out <- v
		close(out) // want "close\\(out\\) runs on every iteration and nothing leaves the loop"
	}
}

func (s *Server) pump(items <-chan int) {
	for it := range items {
		_ = it
		close(s.done) // want "close\\(s.done\\) runs on every iteration"
	}
}

// ---- look-alikes ----

// Different branches.
func branches(ok bool) {
	ch := make(chan int)
	if ok {
		close(ch)
	} else {
		close(ch)
	}
}

func branchesSwitch(ok bool) {
	ch := make(chan int)
	switch {
	case ok:
		close(ch)
	default:
		close(ch)
	}
}

// Re-made in between.
func remake() {
	ch := make(chan int)
	close(ch)
	ch = make(chan int)
	close(ch)
}

func (s *Server) reset() {
	close(s.done)
	s.done = make(chan struct{})
	close(s.done)
}

// A call in between may re-make a field.
func (s *Server) restart() {
	close(s.done)
	s.init()
	close(s.done)
}

func (s *Server) init() { s.done = make(chan struct{}) }

// Return between the closes.
func early(ch chan int, fail bool) {
	if fail {
		close(ch)
		return
	}
	close(ch)
}

// Loop left right after the close.
func firstMatch(xs []int, found chan int) {
	for _, x := range xs {
		if x > 0 {
			found <- x
		}
		close(found)
		break
	}
	for _, x := range xs {
		close(found)
		if x > 0 {
			return
		}
	}
}

// A different channel on each iteration.
func closeAll(chans []chan int, workers []*Server) {
	for _, c := range chans {
		close(c)
	}
	for i := range chans {
		close(chans[i])
	}
	for _, w := range workers {
		close(w.done)
	}
	for {
		ch := make(chan int)
		close(ch)
	}
}

// Close guarded by sync.Once.
func (s *Server) Stop() {
	s.once.Do(func() { close(s.done) })
	s.once.Do(func() { close(s.done) })
}

// Close in a loop that re-makes the channel.
func cycles(n int) {
	ch := make(chan int)
	for i := 0; i < n; i++ {
		close(ch)
		ch = make(chan int)
	}
}

// Close under a condition in the loop: may run once.
func onLast(xs []int, done chan struct{}) {
	for i := range xs {
		if i == len(xs)-1 {
			close(done)
		}
	}
}

// A test of the panic itself, with recover.
func expectPanic() (err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("panicked")
		}
	}()
	ch := make(chan int)
	close(ch)
	close(ch)
	return nil
}

// Deferred close and a nested literal are not straight-line closes here.
func deferred(ch chan int) {
	defer close(ch)
	go func() {
		close(ch)
	}()
}

// A close on the error path, then the unconditional close (the shape of
// shutdown code that grew an early cleanup): closed twice when err != nil.
func finishMaybeTwice(results chan int, err error) {
	if err != nil {
		close(results)
	}
	close(results) // want "results is closed a second time after the close at line 194 \\(every path from that close closes it again\\)"
}

type conn struct {
	closing chan struct{}
	err     error
}

// Both branches of a switch fall through to the final close.
func (c *conn) teardown(code int) {
	switch code {
	case 1:
		close(c.closing)
	case 2:
		println("reset")
	}
	close(c.closing) // want "c.closing is closed a second time after the close at line 208"
}

// Look-alikes: the early close returns, correlated conditions, a flag.
func finishOnce(results chan int, err error) {
	if err != nil {
		close(results)
		return
	}
	close(results)
}

func correlated(results chan int, failed bool) {
	if failed {
		close(results)
	}
	if !failed {
		close(results)
	}
}

func (c *conn) closeWithFlag(closed bool) {
	if !closed {
		close(c.closing)
		closed = true
	}
	if !closed {
		close(c.closing)
	}
}

func remade(err error) chan int {
	ch := make(chan int)
	if err != nil {
		close(ch)
		ch = make(chan int)
	}
	close(ch)
	return ch
}
