// Upstream: https://github.com/InVisionApp/go-health/pull/35
// Project: InVisionApp/go-health
// Bug: each checker goroutine ranges over its ticker's channel, and Stop()
// only calls ticker.Stop(), which does not close ticker.C. After Stop every
// checker goroutine stays blocked on the receive forever.
// Kind: leak
// Want: GD105
package gohealth35

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
	tickers    map[string]*time.Ticker
	states     map[string]error
	statusLock sync.Mutex
}

func New(cfgs ...*Config) *Health {
	return &Health{configs: cfgs, tickers: map[string]*time.Ticker{}, states: map[string]error{}}
}

func (h *Health) Start() {
	for _, c := range h.configs {
		ticker := time.NewTicker(c.Interval)
		h.tickers[c.Name] = ticker
		go h.startRunner(c, ticker)
	}
}

func (h *Health) startRunner(cfg *Config, ticker *time.Ticker) {
	for range ticker.C { // BUG: ticker.Stop() never closes ticker.C
		err := cfg.Check()
		h.statusLock.Lock()
		h.states[cfg.Name] = err
		h.statusLock.Unlock()
	}
}

func (h *Health) Stop() {
	for name, ticker := range h.tickers {
		ticker.Stop()
		delete(h.tickers, name)
	}
}
