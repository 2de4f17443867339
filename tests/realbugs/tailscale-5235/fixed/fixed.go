// Upstream: https://github.com/tailscale/tailscale/issues/5235 (fix: https://github.com/tailscale/tailscale/pull/5267)
// Project: tailscale/tailscale
// Fix: expandDelegateURL was renamed expandDelegateURLLocked and no longer
// takes c.mu: its only caller already holds it.
package fixed

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
	action, err := c.resolveTerminalActionLocked(s, cr)
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
		url = c.expandDelegateURLLocked(url)
		action = fetchSSHAction(url)
	}
	return action, nil
}

// expandDelegateURLLocked returns actionURL with the connection's details
// filled in. c.mu must be held.
func (c *conn) expandDelegateURLLocked(actionURL string) string {
	nm := c.srv.lb.NetMap()
	ci := c.info
	lu := c.localUser
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
