// Upstream: https://github.com/gdgvda/cron/pull/57
// Project: gdgvda/cron
// Fix: stop() closes `stop` (made idempotent with sync.OnceFunc) instead of
// sending on it, and `out` is buffered so a goroutine that already committed
// to the send exits.
package fixed

import (
	"sync"
	"time"
)

type DefaultClock struct{}

type timer struct {
	out      chan time.Time
	stop     chan struct{}
	stopOnce func()
}

func (DefaultClock) NewTimer(d time.Duration) *timer {
	t := &timer{out: make(chan time.Time, 1), stop: make(chan struct{})}
	t.stopOnce = sync.OnceFunc(func() { close(t.stop) })
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
	t.stopOnce()
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
