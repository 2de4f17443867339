// Upstream: https://github.com/hashicorp/vault/issues/5505
// Project: hashicorp/vault
// Bug: for every revocation attempt, expireLeaseStrategyRevoke starts a
// goroutine that waits for ctx.Done() or m.quitCh. ctx is the expiration
// manager's long-lived context, so after the revocation finishes the
// goroutine stays blocked for the lifetime of the process.
// Kind: leak
// Want: GD507
package vault5505

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
		revokeCtx, cancel := context.WithTimeout(ctx, 90*time.Second)
		go func() {
			select { // BUG: leaked for the lifetime of the process
			case <-ctx.Done():
			case <-m.quitCh:
				cancel()
			}
		}()
		select {
		case <-m.quitCh:
			return
		case <-ctx.Done():
			return
		default:
		}
		if err := m.revoke(revokeCtx, le.LeaseID); err == nil {
			return
		}
	}
}

func (m *ExpirationManager) expireID(le *leaseEntry) {
	expireLeaseStrategyRevoke(m.quitContext, m, le)
}
