// Upstream: https://github.com/sensu/sensu-go/issues/1264 (fix: https://github.com/sensu/sensu-go/pull/1265)
// Project: sensu/sensu-go
// Fix: resetChan got a buffer ("Adding a buffer to the resetChan fixes the
// problem"), so a reset made while the monitor waits for m.mu completes
// without a receiver; reset still sends under m.mu. (A second reset that
// takes m.mu before the waiting monitor does would find the buffer full and
// block again; the PR does not address that, and godark does not report it.)
package fixed

import (
	"sync"
	"time"
)

type Entity struct{ ID string }

type Event struct{ Entity *Entity }

type UpdateHandler interface {
	HandleUpdate(e *Event) error
}

type FailureHandler interface {
	HandleFailure(e *Entity) error
}

// Monitor is a managed timer that is reset whenever the monitor observes a
// Keepalive or Check Result Ttl event via the HandleUpdate() function.
type Monitor struct {
	Entity         *Entity
	Timeout        time.Duration
	FailureHandler FailureHandler
	UpdateHandler  UpdateHandler

	mu        sync.Mutex
	resetChan chan time.Duration
	timer     *time.Timer
	stopped   bool
	failing   bool
}

func (m *Monitor) start() {
	m.timer = time.NewTimer(m.Timeout)
	m.resetChan = make(chan time.Duration, 1)
	go func() {
		timerFired := false
		for {
			select {
			case t, ok := <-m.resetChan:
				if !ok {
					return
				}
				if !timerFired && !m.timer.Stop() {
					<-m.timer.C
				}
				timerFired = false
				m.timer.Reset(t)
			case <-m.timer.C:
				timerFired = true
				m.mu.Lock()
				if m.stopped {
					m.mu.Unlock()
					return
				}
				m.failing = true
				m.mu.Unlock()
				_ = m.FailureHandler.HandleFailure(m.Entity)
			}
		}
	}()
}

// HandleUpdate passes an event to the update handler and resets the timer.
func (m *Monitor) HandleUpdate(e *Event) error {
	m.reset(m.Timeout)
	return m.UpdateHandler.HandleUpdate(e)
}

func (m *Monitor) reset(t time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped {
		return
	}
	m.failing = false
	m.resetChan <- t
}

// Stop stops the monitor.
func (m *Monitor) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped {
		return
	}
	m.stopped = true
	close(m.resetChan)
}
