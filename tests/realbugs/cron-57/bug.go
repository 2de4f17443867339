// Upstream: https://github.com/gdgvda/cron/pull/57
// Project: gdgvda/cron
// Bug: once the timer fires, the timer goroutine commits to an unbuffered
// send on `out` and stops selecting on `stop`. If the scheduler abandons the
// timer at that moment (insert, remove, shutdown) its stop() sends on a
// channel nobody receives from: the scheduler hangs and the timer goroutine
// stays parked on `out`.
// Kind: deadlock
// Want: GD109
package cron57

import "time"

type DefaultClock struct{}

type timer struct {
	out  chan time.Time
	stop chan struct{}
}

func (DefaultClock) NewTimer(d time.Duration) *timer {
	t := &timer{out: make(chan time.Time), stop: make(chan struct{})}
	go func() {
		tm := time.NewTimer(d)
		select {
		case now := <-tm.C:
			t.out <- now
		case <-t.stop:
			tm.Stop()
		}
	}()
	return t
}

func (t *timer) C() <-chan time.Time { return t.out }

func (t *timer) stopTimer() {
	t.stop <- struct{}{} // BUG: blocks forever after an unobserved fire
}

type Cron struct {
	clock DefaultClock
	add   chan time.Duration
	quit  chan struct{}
}

func (c *Cron) run() {
	tm := c.clock.NewTimer(time.Minute)
	for {
		select {
		case <-tm.C():
			tm = c.clock.NewTimer(time.Minute)
		case d := <-c.add:
			tm.stopTimer()
			tm = c.clock.NewTimer(d)
		case <-c.quit:
			tm.stopTimer()
			return
		}
	}
}
