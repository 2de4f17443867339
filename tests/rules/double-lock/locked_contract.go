package double_lock

// A callee named ...Locked is called with the lock held by contract; when
// it (or a function it calls) takes the lock on some path, that path
// deadlocks: medium (tailscale/tailscale#5235). Without the contract, a
// callee that locks on some path only is low.

import "sync"

type SSHConn struct {
	mu     sync.Mutex
	info   string
	action int
}

func (c *SSHConn) delegateURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info
}

func (c *SSHConn) resolveActionLocked(check bool) string {
	if check {
		return c.delegateURL()
	}
	return ""
}

func (c *SSHConn) Authorize(check bool) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.action++
	return c.resolveActionLocked(check) // want "c.resolveActionLocked locks it again.*forever$"
}

// The fixed twin: the Locked function reads the fields itself.
func (c *SSHConn) resolveActionLockedFixed(check bool) string {
	if check {
		return c.info
	}
	return ""
}

func (c *SSHConn) AuthorizeFixed(check bool) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resolveActionLockedFixed(check)
}

// No contract in the name: the branch that locks may be one the caller
// never takes with the lock held: low.
func (c *SSHConn) resolve(check bool) string {
	if check {
		return c.delegateURL()
	}
	return ""
}

func (c *SSHConn) Refresh(check bool) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resolve(check) // want "c.resolve locks it again.*\\[low confidence\\]"
}
