package fields

// A method named ...Locked expects its caller to hold the receiver's
// mutex; a goroutine that calls it holding no lock breaks the contract
// (default confidence).

import "sync"

type Endpoint struct {
	mu    sync.RWMutex
	props map[string]bool
	done  chan struct{}
}

func (e *Endpoint) Set(k string, v bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.props[k] = v
}

func (e *Endpoint) isSetLocked(k string) bool { return e.props[k] }

func (e *Endpoint) IsSet(k string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.isSetLocked(k)
}

func (e *Endpoint) Regenerate() {
	go func() {
		if !e.isSetLocked("fake") { // want "e.isSetLocked is called from a goroutine that holds no lock, but its name says its caller holds the receiver's sync.RWMutex"
			close(e.done)
		}
	}()
}

// A function started with go is a goroutine too.
func (e *Endpoint) Watch() {
	go e.watch()
}

func (e *Endpoint) watch() {
	for !e.isSetLocked("ready") { // want "e.isSetLocked is called from a goroutine that holds no lock"
	}
}

// Fixed: the goroutine calls the locking variant, or takes the lock.
func (e *Endpoint) RegenerateFixed() {
	go func() {
		if !e.IsSet("fake") {
			close(e.done)
		}
	}()
	go func() {
		e.mu.RLock()
		ok := e.isSetLocked("fake")
		e.mu.RUnlock()
		_ = ok
	}()
}

// Look-alikes: a TryLock guard; a name that ends in "Blocked" (no lock
// contract); a call outside any goroutine.
func (e *Endpoint) Expire() {
	go func() {
		if e.mu.TryLock() {
			_ = e.isSetLocked("x")
			e.mu.Unlock()
		}
	}()
	go func() {
		_ = e.stillBlocked()
	}()
	_ = e.isSetLocked("y")
}

func (e *Endpoint) stillBlocked() bool { return e.props["blocked"] }
