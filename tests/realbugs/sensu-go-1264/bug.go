// Upstream: https://github.com/sensu/sensu-go/issues/1264 (fix: https://github.com/sensu/sensu-go/pull/1265)
// Project: sensu/sensu-go
// Bug: Monitor.reset takes m.mu (which guards against a send on the closed
// resetChan) and sends on the unbuffered resetChan while holding it. The
// monitor goroutine receives resetChan in a select whose other case, the
// timer firing, takes m.mu first. When the timer fires just before a reset,
// the monitor waits for m.mu and reset waits for the monitor: the keepalive
// for the entity hangs (seen under load, ~5500 agent sessions).
// Kind: deadlock
// Want: GD109, GD406
package sensugo1264

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
	m.resetChan = make(chan time.Duration)
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
	m.resetChan <- t // BUG: sends holding m.mu; the monitor's timer case takes m.mu before it receives again
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
