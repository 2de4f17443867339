// Upstream: https://github.com/tailscale/tailscale/issues/5235 (fix: https://github.com/tailscale/tailscale/pull/5267)
// Project: tailscale/tailscale
// Bug: authorizeSession takes c.mu (deferred unlock) and calls
// resolveTerminalActionLocked, which for a check-mode action calls
// expandDelegateURL, which takes c.mu again to read c.info and c.localUser.
// sync.Mutex is not reentrant: every SSH session that hits a check-mode
// (HoldAndDelegate) rule hangs forever, and with it every later use of c.mu.
// The BUG marker is on the call made under c.mu (where the double lock is
// reported); the Lock that blocks is in expandDelegateURL.
// Kind: deadlock
// Want: GD403
package tailscale5235

import (
	"strings"
	"sync"
)

type SSHAction struct {
	Accept          bool
	HoldAndDelegate string
}

type sshConnInfo struct {
	src, dst string
}

type NetworkMap struct{ SelfNode string }

type LocalBackend struct {
	mu sync.Mutex
	nm *NetworkMap
}

func (b *LocalBackend) NetMap() *NetworkMap {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.nm
}

type server struct {
	lb *LocalBackend
}

type contextReader struct{ done chan struct{} }

type Session interface {
	User() string
}

type conn struct {
	srv *server

	mu        sync.Mutex // protects the following
	info      *sshConnInfo
	localUser string
	action0   *SSHAction
}

func (c *conn) authorizeSession(s Session) (_ *contextReader, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cr := &contextReader{done: make(chan struct{})}
	action, err := c.resolveTerminalActionLocked(s, cr) // BUG: called holding c.mu; expandDelegateURL, two calls down, locks c.mu again
	if err != nil || !action.Accept {
		return nil, false
	}
	return cr, true
}

// resolveTerminalActionLocked follows HoldAndDelegate actions to a terminal
// one. c.mu must be held.
func (c *conn) resolveTerminalActionLocked(s Session, cr *contextReader) (*SSHAction, error) {
	action := c.action0
	for action.HoldAndDelegate != "" {
		url := action.HoldAndDelegate
		url = c.expandDelegateURL(url)
		action = fetchSSHAction(url)
	}
	return action, nil
}

func (c *conn) expandDelegateURL(actionURL string) string {
	nm := c.srv.lb.NetMap()
	c.mu.Lock() // blocks: c.mu is already held by authorizeSession
	ci := c.info
	lu := c.localUser
	c.mu.Unlock()
	return strings.NewReplacer(
		"$SRC_NODE_IP", ci.src,
		"$DST_NODE_IP", ci.dst,
		"$SSH_USER", lu,
		"$DST_NODE_ID", nm.SelfNode,
	).Replace(actionURL)
}

func fetchSSHAction(url string) *SSHAction {
	return &SSHAction{Accept: strings.HasPrefix(url, "https://")}
}
