package busy_loop

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"runtime"
	"time"
)

type event struct{ id int }

// A consumer that polls with an empty default.
func consume(events <-chan event, quit <-chan struct{}, handle func(event)) {
	for {
		select {
		case e := <-events:
			handle(e)
		case <-quit:
			return
		default: // want "busy loop: the select's default branch neither blocks nor leaves the loop"
		}
	}
}

// runtime.Gosched() in the default still spins.
func waitReady(ready <-chan struct{}) {
	for {
		select {
		case <-ready:
			return
		default: // want "runtime.Gosched\\(\\) only yields the processor; the loop still spins"
			runtime.Gosched()
		}
	}
}

// continue, counters and a break that only leaves the select.
func spinCount(done <-chan bool) int {
	spins := 0
	for {
		select {
		case <-done:
			return spins
		default: // want "busy loop"
			spins++
			break
		}
	}
}

func spinContinue(in <-chan int, out chan<- int) {
	for true {
		select {
		case v := <-in:
			out <- v
		default: // want "busy loop"
			continue
		}
	}
}

// Empty for {}: even as a deliberate block-forever in main it spins.
func blockForever() {
	go serve()
	for { // want "empty infinite loop: for \\{\\} spins a CPU core"
	}
}

func serve() {}

// ---- look-alikes ----

// No default: the select blocks.
func consumeOK(events <-chan event, quit <-chan struct{}, handle func(event)) {
	for {
		select {
		case e := <-events:
			handle(e)
		case <-quit:
			return
		}
	}
}

// The default sleeps: a deliberate poll.
func pollSleep(ready <-chan struct{}) {
	for {
		select {
		case <-ready:
			return
		default:
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// The default leaves the loop.
func drain(ch <-chan int) (n int) {
	for {
		select {
		case <-ch:
			n++
		default:
			return n
		}
	}
}

func drainLabeled(ch <-chan int) (n int) {
loop:
	for {
		select {
		case <-ch:
			n++
		default:
			break loop
		}
	}
	return n
}

// The default calls an unknown function that may block.
func tryWork(jobs <-chan int, idle func()) {
	for {
		select {
		case j := <-jobs:
			_ = j
		default:
			idle()
		}
	}
}

// The loop body also blocks on a receive before the select.
func forward(in <-chan int, out chan<- int) {
	for {
		v := <-in
		select {
		case out <- v:
		default:
		}
	}
}

// A conditional loop is not endless.
func bounded(ch <-chan int, n int) {
	for i := 0; i < n; i++ {
		select {
		case <-ch:
		default:
		}
	}
}

// A non-blocking send in a range loop.
func broadcast(subs []chan int, v int) {
	for _, s := range subs {
		select {
		case s <- v:
		default:
		}
	}
}

// select {} blocks forever without spinning.
func blockOK() {
	go serve()
	select {}
}

// An endless loop whose body blocks.
func tick() {
	for {
		time.Sleep(time.Second)
	}
}
