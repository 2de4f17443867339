package double_lock

import "sync"

// A func literal called where it is written runs there: its Lock under
// the caller's Lock of the same mutex blocks forever (keybase/client#22797
// shape). The fixed twin calls it after the Unlock; a literal started by
// go, or only stored, is a look-alike.

type Ledger struct {
	mu      sync.Mutex
	entries map[string]int
}

func (l *Ledger) Settle(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[id]++
	func() {
		l.mu.Lock() // want "l.mu.Lock locks it again.*forever"
		defer l.mu.Unlock()
		delete(l.entries, id)
	}()
}

func (l *Ledger) SettleFixed(id string) {
	l.mu.Lock()
	l.entries[id]++
	l.mu.Unlock()
	func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.entries, id)
	}()
}

func (l *Ledger) SettleLater(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries[id]++
	go func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		delete(l.entries, id)
	}()
}
