package deferred_lock

import "sync"

// Ported from staticcheck SA2003's expected sites, rewritten.

var (
	stateMu sync.Mutex
	tableMu sync.RWMutex
)

func lockTwice() {
	stateMu.Lock()
	defer stateMu.Lock() // want "defer stateMu.Lock\\(\\) right after stateMu.Lock\\(\\).*did you mean defer stateMu.Unlock"
}

// The fixed twin.
func lockOnce() {
	stateMu.Lock()
	defer stateMu.Unlock()
}

// A deferred Lock with nothing locked just before: another idiom.
func lockAtExit() {
	println("working")
	defer stateMu.Lock()
}

func readTwice() {
	tableMu.RLock()
	defer tableMu.RLock() // want "defer tableMu.RLock\\(\\) right after tableMu.RLock\\(\\).*defer tableMu.RUnlock"
}

// RLock then a deferred Lock: not the typo.
func readThenWrite() {
	tableMu.RLock()
	defer tableMu.Lock()
}

// Two different locks.
func twoLocks() {
	stateMu.Lock()
	defer tableMu.Lock()
}

type account struct {
	mu      sync.Mutex
	balance int
}

func (a *account) deposit(n int) {
	a.mu.Lock()
	defer a.mu.Lock() // want "defer a.mu.Lock\\(\\)"
	a.balance += n
}

func (a *account) depositFixed(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
}

// Released for a slow call, taken back at return: correct.
func (a *account) slow(work func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.mu.Unlock()
	defer a.mu.Lock()
	work()
}
