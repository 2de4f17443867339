// Upstream: https://github.com/zenthangplus/goccm/issues/11
// Project: zenthangplus/goccm
// Bug: New starts controller(), which only reaches `allDoneCh <- true` after
// receiving from doneCh. If WaitAllDone is called when no goroutine was ever
// started, nobody sends on doneCh, so controller never signals and
// WaitAllDone blocks forever on allDoneCh ("all goroutines are asleep").
// Kind: deadlock
// Want: GD116
package goccm11

import "sync/atomic"

type concurrencyManager struct {
	max          int
	managerCh    chan interface{}
	doneCh       chan bool
	allDoneCh    chan bool
	closed       chan bool
	runningCount int32
}

func New(maxGoRoutines int) *concurrencyManager {
	c := concurrencyManager{
		max:       maxGoRoutines,
		managerCh: make(chan interface{}, maxGoRoutines),
		doneCh:    make(chan bool),
		allDoneCh: make(chan bool),
		closed:    make(chan bool),
	}
	for i := 0; i < c.max; i++ {
		c.managerCh <- nil
	}
	go c.controller()
	return &c
}

func (c *concurrencyManager) controller() {
	for {
		<-c.doneCh
		c.managerCh <- nil
		if c.isClosed() && atomic.LoadInt32(&c.runningCount) == 0 {
			break
		}
	}
	c.allDoneCh <- true
}

func (c *concurrencyManager) Wait() {
	<-c.managerCh
	atomic.AddInt32(&c.runningCount, 1)
}

func (c *concurrencyManager) Done() {
	atomic.AddInt32(&c.runningCount, -1)
	c.doneCh <- true
}

func (c *concurrencyManager) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

func (c *concurrencyManager) WaitAllDone() {
	close(c.closed)
	<-c.allDoneCh // BUG: blocks forever when no job ever called Done
}

func Example() {
	threads := New(16)
	threads.WaitAllDone()
}
