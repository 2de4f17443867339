// Upstream: https://github.com/keybase/client/pull/22797
// Project: keybase/client
// Bug: RekeyQueueStandard.Shutdown takes rkq.mu, cancels the background
// context and then waits on shutdownDoneCh with the lock still held. The
// dispatch goroutine that start() launches (from the constructor) closes
// shutdownDoneCh only when its loop returns; if it is in the middle of a
// queued rekey when Shutdown runs, it first locks rkq.mu to delete the
// pending entry. Shutdown waits for the goroutine, the goroutine waits for
// the lock: Shutdown never returns.
// Kind: deadlock
// Want: GD406
package keybase22797

import (
	"context"
	"sync"
)

type tlfID string

type kbfsOps interface {
	RequestRekey(ctx context.Context, id tlfID)
}

type limiter interface {
	Wait(ctx context.Context) error
}

// RekeyQueueStandard dispatches rekey requests to the folder ops.
type RekeyQueueStandard struct {
	ops            kbfsOps
	queue          chan tlfID
	limiter        limiter
	cancel         context.CancelFunc
	shutdownDoneCh chan struct{}

	mu       sync.RWMutex // guards everything below
	pendings map[tlfID]bool
}

// NewRekeyQueueStandard creates a new rekey queue and starts its goroutine.
func NewRekeyQueueStandard(ops kbfsOps, lim limiter, size int) *RekeyQueueStandard {
	ctx, cancel := context.WithCancel(context.Background())
	rkq := &RekeyQueueStandard{
		ops:            ops,
		queue:          make(chan tlfID, size),
		limiter:        lim,
		pendings:       make(map[tlfID]bool),
		cancel:         cancel,
		shutdownDoneCh: make(chan struct{}),
	}
	rkq.start(ctx)
	return rkq
}

// start spawns the goroutine that hands queued ids to the folder ops.
func (rkq *RekeyQueueStandard) start(ctx context.Context) {
	go func() {
		defer close(rkq.shutdownDoneCh)
		for {
			select {
			case id := <-rkq.queue:
				if err := rkq.limiter.Wait(ctx); err != nil {
					return
				}
				rkq.ops.RequestRekey(context.Background(), id)
				func(id tlfID) {
					rkq.mu.Lock() // needs the lock Shutdown holds
					defer rkq.mu.Unlock()
					delete(rkq.pendings, id)
				}(id)
			case <-ctx.Done():
				return
			}
		}
	}()
}

// Enqueue asks for a rekey of id; drops it if the queue is full.
func (rkq *RekeyQueueStandard) Enqueue(id tlfID) {
	rkq.mu.Lock()
	defer rkq.mu.Unlock()
	rkq.pendings[id] = true
	select {
	case rkq.queue <- id:
	default:
	}
}

// IsRekeyPending reports whether id waits for a rekey.
func (rkq *RekeyQueueStandard) IsRekeyPending(id tlfID) bool {
	rkq.mu.RLock()
	defer rkq.mu.RUnlock()
	return rkq.pendings[id]
}

// Shutdown stops the dispatch goroutine and waits for it.
func (rkq *RekeyQueueStandard) Shutdown() {
	rkq.mu.Lock()
	defer rkq.mu.Unlock()
	if rkq.cancel != nil {
		rkq.cancel()
		rkq.cancel = nil
		<-rkq.shutdownDoneCh // BUG: waits for the goroutine while holding rkq.mu, which it locks before it can return
	}
}
