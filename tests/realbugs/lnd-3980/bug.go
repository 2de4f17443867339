// Upstream: https://github.com/lightningnetwork/lnd/pull/3980
// Project: lightningnetwork/lnd
// Bug: NotifyExitHopHtlc holds the registry lock (deferred Unlock) and, for
// an accepted htlc of an open invoice, calls startHtlcTimer, which hands
// the htlc to invoiceEventLoop on the unbuffered htlcAutoReleaseChan (in a
// select that also watches quit). The event loop, started by Start, also
// serves the release tick: when an earlier htlc's hold time ends it calls
// cancelSingleHtlc, which takes the registry lock. If that tick fires just
// before the new htlc arrives, the loop waits for the lock and the
// notifier waits for the loop to receive: both block until shutdown.
// Kind: deadlock
// Want: GD406
package lnd3980

import (
	"errors"
	"sync"
	"time"
)

var ErrShuttingDown = errors.New("invoice registry shutting down")

type circuitKey struct{ chanID, htlcID uint64 }

type htlcReleaseEvent struct {
	key         circuitKey
	releaseTime time.Time
}

type invoiceDB interface {
	UpdateHtlc(key circuitKey, settle bool) (accepted, open bool, err error)
}

// InvoiceRegistry keeps the invoices and notifies about their htlcs.
type InvoiceRegistry struct {
	sync.RWMutex

	cdb                 invoiceDB
	holdDuration        time.Duration
	htlcAutoReleaseChan chan *htlcReleaseEvent

	wg   sync.WaitGroup
	quit chan struct{}
}

// NewRegistry creates a new invoice registry.
func NewRegistry(cdb invoiceDB, hold time.Duration) *InvoiceRegistry {
	return &InvoiceRegistry{
		cdb:                 cdb,
		holdDuration:        hold,
		htlcAutoReleaseChan: make(chan *htlcReleaseEvent),
		quit:                make(chan struct{}),
	}
}

// Start starts the event loop.
func (i *InvoiceRegistry) Start() {
	i.wg.Add(1)
	go i.invoiceEventLoop()
}

// Stop stops the event loop and waits for it.
func (i *InvoiceRegistry) Stop() {
	close(i.quit)
	i.wg.Wait()
}

func (i *InvoiceRegistry) invoiceEventLoop() {
	defer i.wg.Done()
	var pending []*htlcReleaseEvent
	for {
		var nextReleaseTick <-chan time.Time
		if len(pending) > 0 {
			nextReleaseTick = time.After(time.Until(pending[0].releaseTime))
		}
		select {
		case event := <-i.htlcAutoReleaseChan:
			pending = append(pending, event)
		case <-nextReleaseTick:
			event := pending[0]
			pending = pending[1:]
			_ = i.cancelSingleHtlc(event.key)
		case <-i.quit:
			return
		}
	}
}

// startHtlcTimer asks the event loop to release the htlc after the hold time.
func (i *InvoiceRegistry) startHtlcTimer(key circuitKey, acceptTime time.Time) error {
	event := &htlcReleaseEvent{key: key, releaseTime: acceptTime.Add(i.holdDuration)}
	select {
	case i.htlcAutoReleaseChan <- event:
		return nil
	case <-i.quit:
		return ErrShuttingDown
	}
}

// cancelSingleHtlc cancels one accepted htlc of an open invoice.
func (i *InvoiceRegistry) cancelSingleHtlc(key circuitKey) error {
	i.Lock() // the event loop needs the lock NotifyExitHopHtlc holds
	defer i.Unlock()
	_, _, err := i.cdb.UpdateHtlc(key, false)
	return err
}

// NotifyExitHopHtlc is called by a link when an htlc for one of our
// invoices arrives.
func (i *InvoiceRegistry) NotifyExitHopHtlc(key circuitKey) error {
	i.Lock()
	defer i.Unlock()
	accepted, open, err := i.cdb.UpdateHtlc(key, true)
	if err != nil {
		return err
	}
	if accepted && open {
		return i.startHtlcTimer(key, time.Now()) // BUG: hands the htlc to the event loop under i's lock; the loop may be waiting for that lock in cancelSingleHtlc
	}
	return nil
}
