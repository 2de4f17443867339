package quitpolled

import "sync/atomic"

// goccm#11 as upstream: WaitAllDone closes `closed` through Close and waits
// on allDoneCh; the controller checks `closed` only after each doneCh.
type concurrencyManager struct {
	managerCh    chan interface{}
	doneCh       chan bool
	allDoneCh    chan bool
	closed       chan bool
	runningCount int32
}

func New(max int) *concurrencyManager {
	c := &concurrencyManager{
		managerCh: make(chan interface{}, max),
		doneCh:    make(chan bool),
		allDoneCh: make(chan bool),
		closed:    make(chan bool),
	}
	for i := 0; i < max; i++ {
		c.managerCh <- nil
	}
	go c.controller()
	return c
}

func (c *concurrencyManager) controller() {
	for {
		<-c.doneCh
		c.managerCh <- nil
		if c.isClosed() && c.RunningCount() == 0 {
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

func (c *concurrencyManager) Close() {
	select {
	case <-c.closed:
		return
	default:
		close(c.closed)
	}
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
	c.Close()
	<-c.allDoneCh // want "this receive from c.allDoneCh may block forever: WaitAllDone closes concurrencyManager.closed and waits here, but controller, which alone signals concurrencyManager.allDoneCh, sees the close only by polling it \(isClosed, line 33\) after each receive from concurrencyManager.doneCh \(line 31\)"
}

func (c *concurrencyManager) RunningCount() int32 { return atomic.LoadInt32(&c.runningCount) }

// The poll inline, a range over the work channel, and the signal closed in
// a defer.
type collector struct {
	items  chan int
	stop   chan struct{}
	done   chan struct{}
	total  int
}

func newCollector() *collector {
	c := &collector{items: make(chan int), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *collector) run() {
	defer close(c.done)
	for v := range c.items {
		c.total += v
		select {
		case <-c.stop:
			return
		default:
		}
	}
}

func (c *collector) Add(v int) { c.items <- v }

func (c *collector) Stop() int {
	close(c.stop)
	<-c.done // want "this receive from c.done may block forever: Stop closes collector.stop"
	return c.total
}

// Fixed: the controller watches `closed` in the select that waits for work.
type fixedManager struct {
	doneCh    chan bool
	allDoneCh chan bool
	closed    chan bool
	running   int32
}

func newFixedManager() *fixedManager {
	c := &fixedManager{doneCh: make(chan bool), allDoneCh: make(chan bool), closed: make(chan bool)}
	go c.controller()
	return c
}

func (c *fixedManager) controller() {
	for {
		select {
		case <-c.doneCh:
			if c.isClosed() && atomic.LoadInt32(&c.running) == 0 {
				close(c.allDoneCh)
				return
			}
		case <-c.closed:
			if atomic.LoadInt32(&c.running) == 0 {
				close(c.allDoneCh)
				return
			}
		}
	}
}

func (c *fixedManager) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

func (c *fixedManager) Done() {
	atomic.AddInt32(&c.running, -1)
	c.doneCh <- true
}

func (c *fixedManager) WaitAllDone() {
	close(c.closed)
	<-c.allDoneCh
}
