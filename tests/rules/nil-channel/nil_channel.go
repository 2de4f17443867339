package nil_channel

import (
	"context"
	"time"
)

// The channel is declared but never made: the workers block on their send
// forever and so does the collector (a leak seen in fan-in helpers).
func collect(jobs []int) []int {
	var out chan int
	for _, j := range jobs {
		go func(j int) { out <- j * 2 }(j)
	}
	var res []int
	for range jobs {
		res = append(res, <-out) // want "receive from out blocks forever: out is a nil channel here \\(declared at line 11"
	}
	return res
}

type server struct {
	conns int
}

// A done channel forgotten in a refactoring: the close panics.
func (s *server) shutdown() {
	var done chan struct{}
	if s.conns > 0 {
		s.conns = 0
	}
	close(done) // want "close\\(done\\) panics: done is a nil channel"
}

// Every case of the select is on a nil channel.
func waitBoth() int {
	var a, b chan int
	select { // want "every case of this select is on a nil channel"
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

// Ranging over a nil channel never ends.
func drain() int {
	var events <-chan string
	n := 0
	for range events { // want "range over events blocks forever"
		n++
	}
	return n
}

// A send with only the declaration before it.
func publish(v int) {
	var updates chan<- int
	updates <- v // want "send on updates blocks forever"
}

// select {} in a library: low confidence.
func (s *server) Serve() {
	go func() {}()
	select {} // want "select \\{\\} blocks this goroutine forever.*\\[low confidence\\]"
}

// --- look-alikes that must stay silent ---

// A nil channel disables a select case: the idiom.
func merge(ctx context.Context, a, b <-chan int, out chan<- int) {
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			out <- v
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			out <- v
		case <-ctx.Done():
			return
		}
	}
}

// A timer channel that is nil until armed; the other case is live.
func debounce(in <-chan int, d time.Duration) {
	var fire <-chan time.Time
	for {
		select {
		case _, ok := <-in:
			if !ok {
				return
			}
			fire = time.After(d)
		case <-fire:
			println("fire")
		}
	}
}

// Assigned in a branch before the use.
func maybe(buffered bool) {
	var ch chan int
	if buffered {
		ch = make(chan int, 1)
	} else {
		ch = make(chan int)
	}
	go func() { ch <- 1 }()
	<-ch
}

// Assigned on one path only: not reported (correlated conditions).
func optional(enabled bool) {
	var ch chan int
	if enabled {
		ch = make(chan int, 1)
	}
	if enabled {
		ch <- 1
	}
}

// Assigned through a pointer or by a closure.
func viaPointer() {
	var ch chan int
	initChan(&ch)
	close(ch)
}

func initChan(p *chan int) { *p = make(chan int) }

func viaClosure() {
	var ch chan int
	setup := func() { ch = make(chan int, 1) }
	setup()
	ch <- 1
}

// Declared, then made.
func declaredThenMade() {
	var done chan struct{}
	done = make(chan struct{})
	close(done)
}
