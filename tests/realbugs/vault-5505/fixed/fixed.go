// Upstream: https://github.com/hashicorp/vault/issues/5505
// Project: hashicorp/vault
// Fix: the watcher goroutine also returns when the per-attempt revokeCtx is
// done, and each attempt cancels revokeCtx when it ends (the repair asked
// for in the issue; the exact upstream patch was not read).
package fixed

import (
	"context"
	"time"
)

const maxRevokeAttempts = 6

type leaseEntry struct{ LeaseID string }

type ExpirationManager struct {
	quitCh      chan struct{}
	quitContext context.Context
	revoke      func(ctx context.Context, id string) error
}

func expireLeaseStrategyRevoke(ctx context.Context, m *ExpirationManager, le *leaseEntry) {
	for attempt := 0; attempt < maxRevokeAttempts; attempt++ {
		if attemptRevoke(ctx, m, le) {
			return
		}
	}
}

func attemptRevoke(ctx context.Context, m *ExpirationManager, le *leaseEntry) bool {
	revokeCtx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	go func() {
		select {
		case <-ctx.Done():
		case <-m.quitCh:
			cancel()
		case <-revokeCtx.Done():
		}
	}()
	select {
	case <-m.quitCh:
		return true
	case <-ctx.Done():
		return true
	default:
	}
	return m.revoke(revokeCtx, le.LeaseID) == nil
}

func (m *ExpirationManager) expireID(le *leaseEntry) {
	expireLeaseStrategyRevoke(m.quitContext, m, le)
}
