package orphan

import "time"

// A local channel nothing sends on or closes: the receive waits for good.
func WaitForever() int {
	ch := make(chan int)
	go func() {
		time.Sleep(time.Millisecond) // the work is done, but the result is never sent
	}()
	return <-ch // want "nothing sends on or closes ch, made at line 7 and never handed on: this receive blocks forever$"
}

// Fixed: the goroutine sends its result.
func WaitFixed() int {
	ch := make(chan int)
	go func() {
		time.Sleep(time.Millisecond)
		ch <- 1
	}()
	return <-ch
}

// A range over a local channel that nothing feeds: the loop never ends.
func DrainNothing(handle func(string)) {
	lines := make(chan string, 8)
	for l := range lines { // want "nothing sends on or closes lines, made at line 26 and never handed on: this range blocks forever$"
		handle(l)
	}
}

// Look-alikes that must stay silent.

// Handed to a function of another package: it may send.
func Handed() {
	ch := make(chan time.Time)
	time.AfterFunc(time.Second, func() { ch <- time.Now() })
	<-ch
}

// Closed by the spawner: the range ends.
func Closed(handle func(string)) {
	lines := make(chan string)
	go func() {
		for l := range lines {
			handle(l)
		}
	}()
	close(lines)
}

// In a select with another case: the case is only dead, nothing blocks.
func Timeout() bool {
	ch := make(chan struct{})
	select {
	case <-ch:
		return true
	case <-time.After(time.Second):
		return false
	}
}

// Returned to the caller, who may feed it.
func Make() chan int {
	ch := make(chan int)
	return ch
}

// A buffered field channel nobody reads: the sends block once it is full
// (low confidence: a single send into a buffer of one never blocks).
type notifier struct {
	events chan string
}

func NewNotifier() *notifier { return &notifier{events: make(chan string, 4)} }

func (n *notifier) Notify(s string) {
	n.events <- s // want "nothing in this package ever receives from n.events \\(field events of notifier\\): once its buffer is full, this send blocks forever.*\\[low confidence\\]"
}

// Blocking on purpose: a channel made only to wait on it at once (a fake
// that must hang, temporal-sdk's noResponseActivityTaskHandler): low.
func HangForever() {
	c := make(chan struct{})
	<-c // want "nothing sends on or closes c, made at line .*its only use: if blocking is meant, `select \\{\\}` says so.*\\[low confidence\\]"
}
