// Upstream: https://github.com/hashicorp/consul-esm/issues/192 (also #159)
// Project: hashicorp/consul-esm
// Fix: commit 158bc0e ("eliminate struct level lock on checkrunner")
// drops the CheckRunner mutex and keeps the checks in sync.Maps, so
// UpdateChecks no longer holds a lock while Stop waits for the run loop,
// and UpdateCheck takes none.
package fixed

import (
	"net/http"
	"sync"
	"time"
)

type CheckNotifier interface {
	UpdateCheck(checkID string, status, output string)
}

type CheckHTTP struct {
	CheckID  string
	HTTP     string
	Interval time.Duration
	Notify   CheckNotifier

	stop     bool
	stopCh   chan struct{}
	stopLock sync.Mutex
	stopWg   sync.WaitGroup
}

func (c *CheckHTTP) Start() {
	c.stopLock.Lock()
	defer c.stopLock.Unlock()
	c.stop = false
	c.stopCh = make(chan struct{})
	c.stopWg.Add(1)
	go c.run()
}

func (c *CheckHTTP) Stop() {
	c.stopLock.Lock()
	defer c.stopLock.Unlock()
	if !c.stop {
		c.stop = true
		close(c.stopCh)
	}
	c.stopWg.Wait()
}

func (c *CheckHTTP) run() {
	defer c.stopWg.Done()
	next := time.After(c.Interval)
	for {
		select {
		case <-next:
			c.check()
			next = time.After(c.Interval)
		case <-c.stopCh:
			return
		}
	}
}

func (c *CheckHTTP) check() {
	resp, err := http.Get(c.HTTP)
	if err != nil {
		c.Notify.UpdateCheck(c.CheckID, "critical", err.Error())
		return
	}
	resp.Body.Close()
	c.Notify.UpdateCheck(c.CheckID, "passing", resp.Status)
}

type HealthCheck struct {
	CheckID string
	HTTP    string
	Status  string
}

type CheckRunner struct {
	checks     sync.Map // string -> *HealthCheck
	checksHTTP sync.Map // string -> *CheckHTTP
}

func (c *CheckRunner) UpdateChecks(checks []*HealthCheck) {
	found := make(map[string]bool)
	for _, check := range checks {
		found[check.CheckID] = true
		if _, ok := c.checksHTTP.Load(check.CheckID); !ok {
			h := &CheckHTTP{CheckID: check.CheckID, HTTP: check.HTTP, Interval: 10 * time.Second, Notify: c}
			h.Start()
			c.checksHTTP.Store(check.CheckID, h)
		}
		c.checks.Store(check.CheckID, check)
	}

	c.checks.Range(func(k, _ any) bool {
		id := k.(string)
		if found[id] {
			return true
		}
		c.checks.Delete(id)
		if v, ok := c.checksHTTP.LoadAndDelete(id); ok {
			v.(*CheckHTTP).Stop()
		}
		return true
	})
}

func (c *CheckRunner) UpdateCheck(checkID string, status, output string) {
	if v, ok := c.checks.Load(checkID); ok {
		updated := *v.(*HealthCheck)
		updated.Status = status
		c.checks.Store(checkID, &updated)
	}
}

func watchHealthChecks(c *CheckRunner, updates <-chan []*HealthCheck) {
	for checks := range updates {
		c.UpdateChecks(checks)
	}
}
