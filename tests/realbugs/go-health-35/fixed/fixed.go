// Upstream: https://github.com/InVisionApp/go-health/pull/35
// Project: InVisionApp/go-health
// Fix: "Updated to use a stop channel instead": each runner selects on the
// ticker and a stop channel that Stop closes.
package fixed

import (
	"sync"
	"time"
)

type Config struct {
	Name     string
	Interval time.Duration
	Check    func() error
}

type Health struct {
	configs    []*Config
	runners    map[string]chan struct{}
	states     map[string]error
	statusLock sync.Mutex
}

func New(cfgs ...*Config) *Health {
	return &Health{configs: cfgs, runners: map[string]chan struct{}{}, states: map[string]error{}}
}

func (h *Health) Start() {
	for _, c := range h.configs {
		ticker := time.NewTicker(c.Interval)
		stop := make(chan struct{})
		h.runners[c.Name] = stop
		go h.startRunner(c, ticker, stop)
	}
}

func (h *Health) startRunner(cfg *Config, ticker *time.Ticker, stop chan struct{}) {
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			err := cfg.Check()
			h.statusLock.Lock()
			h.states[cfg.Name] = err
			h.statusLock.Unlock()
		case <-stop:
			return
		}
	}
}

func (h *Health) Stop() {
	for name, stop := range h.runners {
		close(stop)
		delete(h.runners, name)
	}
	h.states = map[string]error{}
}
