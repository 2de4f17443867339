// Package kernel is a module named without a dot (`module kernel`), as
// services and test packages often are. Its tests leave goroutines blocked
// in the ways below, and TestMain writes a goroutine dump at the end of the
// tests (kernel_test.go); `godark goroutines --at-test-end` must report
// every blocked goroutine here as a suspect with the test that started it.
// Markers: `LEAK:<name> count=<n> test=<TestName>` on each blocking line
// (no test= when the dump cannot show it: the pool is started by NewPool,
// whose goroutine has ended),
// `NORMAL:<name>` where goroutines wait in a healthy way (not suspects).
// Keep it buildable by Go 1.19.
package kernel

import (
	"sync"
	"time"
)

// Queue's Put blocks when nobody takes.
type Queue struct{ ch chan int }

func NewQueue() *Queue { return &Queue{ch: make(chan int)} }

func (q *Queue) Put(v int) {
	q.ch <- v // LEAK:put count=3 test=TestPut
}

// Pool is a fixed pool of workers that is never closed.
type Pool struct{ jobs chan func() }

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		go p.work()
	}
	return p
}

func (p *Pool) work() {
	for j := range p.jobs { // LEAK:pool count=4
		j()
	}
}

func WaitAll(wg *sync.WaitGroup) {
	wg.Wait() // LEAK:wait count=2 test=TestWait
}

var mu sync.Mutex

func Locked() {
	mu.Lock() // LEAK:lock count=1 test=TestLock
	mu.Unlock()
}

func First(a, b chan int) int {
	select { // LEAK:select count=1 test=TestSub
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

func AwaitCond(c *sync.Cond, ready *bool) {
	c.L.Lock()
	for !*ready {
		c.Wait() // LEAK:cond count=1 test=TestCond
	}
	c.L.Unlock()
}

func Nap() {
	time.Sleep(time.Hour) // NORMAL:sleep
}
