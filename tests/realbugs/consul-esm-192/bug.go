// Upstream: https://github.com/hashicorp/consul-esm/issues/192 (also #159)
// Project: hashicorp/consul-esm
// Bug: CheckRunner.UpdateChecks holds the runner's lock and calls Stop on
// the HTTP check of every removed service. CheckHTTP.Stop (from consul's
// agent/checks) closes stopCh and waits on stopWg for the check's run loop
// to exit. But a run loop in the middle of a probe reports the result
// through its notifier, CheckRunner.UpdateCheck, which takes the same lock:
// it never gets back to its select, never calls stopWg.Done, and
// UpdateChecks waits forever with the lock held.
// Kind: deadlock
// Want: none (why: a WaitGroup Wait one call down (httpCheck.Stop) under c.RWMutex, whose Done is reached only after the run loop's check() returns from a notifier interface call that locks c; GD406 through the callee's wait and an interface with one implementation)
package consulesm192

import (
	"net/http"
	"sync"
	"time"
)

type CheckNotifier interface {
	UpdateCheck(checkID string, status, output string)
}

// CheckHTTP stands in for consul's agent/checks.CheckHTTP.
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
	// Wait for the individual check to complete
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
	sync.RWMutex
	checks     map[string]*HealthCheck
	checksHTTP map[string]*CheckHTTP
}

// UpdateChecks takes a list of checks from the catalog and updates our list
// of running checks to match.
func (c *CheckRunner) UpdateChecks(checks []*HealthCheck) {
	c.Lock()
	defer c.Unlock()

	found := make(map[string]bool)
	for _, check := range checks {
		found[check.CheckID] = true
		if _, ok := c.checksHTTP[check.CheckID]; !ok {
			h := &CheckHTTP{CheckID: check.CheckID, HTTP: check.HTTP, Interval: 10 * time.Second, Notify: c}
			h.Start()
			c.checksHTTP[check.CheckID] = h
		}
		c.checks[check.CheckID] = check
	}

	// Look for removed checks
	for id := range c.checks {
		if found[id] {
			continue
		}
		delete(c.checks, id)
		if httpCheck, ok := c.checksHTTP[id]; ok {
			httpCheck.Stop() // BUG: waits for the run loop while holding c's lock; the loop's UpdateCheck needs that lock to finish
			delete(c.checksHTTP, id)
		}
	}
}

// UpdateCheck handles the output of an HTTP check.
func (c *CheckRunner) UpdateCheck(checkID string, status, output string) {
	c.Lock()
	defer c.Unlock()
	if check, ok := c.checks[checkID]; ok {
		check.Status = status
	}
}

func watchHealthChecks(c *CheckRunner, updates <-chan []*HealthCheck) {
	for checks := range updates {
		c.UpdateChecks(checks)
	}
}
