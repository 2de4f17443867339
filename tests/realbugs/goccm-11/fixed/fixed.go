// Upstream: https://github.com/zenthangplus/goccm/issues/11
// Project: zenthangplus/goccm
// Fix: not an upstream patch (none was visible in the thread); a minimal
// repair in the spirit of the reporter's workaround: the controller also
// watches `closed`, so it signals allDoneCh when nothing is running even if
// Done was never called.
package fixed

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
	closedCh := c.closed
	for {
		select {
		case <-c.doneCh:
			c.managerCh <- nil
			if c.isClosed() && atomic.LoadInt32(&c.runningCount) == 0 {
				close(c.allDoneCh)
				return
			}
		case <-closedCh:
			closedCh = nil
			if atomic.LoadInt32(&c.runningCount) == 0 {
				close(c.allDoneCh)
				return
			}
		}
	}
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
	<-c.allDoneCh
}

func Example() {
	threads := New(16)
	threads.WaitAllDone()
}
