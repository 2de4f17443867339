package empty_critical_section

import "sync"

// Ported from staticcheck SA2001's expected sites, rewritten.

// A local mutex locked and at once unlocked.
func localPair() {
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock() // want "empty critical section: mu.Unlock\\(\\) directly follows mu.Lock\\(\\), so nothing runs under the lock; did you mean to defer the unlock\\?$"
}

// A mutex deep in nested anonymous structs.
func nestedField() {
	holder := struct {
		inner struct {
			guard sync.Mutex
		}
	}{}
	holder.inner.guard.Lock()
	holder.inner.guard.Unlock() // want "empty critical section: holder.inner.guard.Unlock"
}

// Both halves of an RWMutex, then a proper deferred unlock.
func rwPairs() {
	var rw sync.RWMutex
	rw.Lock()
	rw.Unlock() // want "empty critical section"

	rw.RLock()
	rw.RUnlock() // want "rw.RUnlock\\(\\) directly follows rw.RLock\\(\\)"

	rw.Lock()
	defer rw.Unlock()
}

// The mutex comes from a call, written twice.
func fromGetter() {
	box := struct {
		get func() *sync.Mutex
	}{
		get: func() *sync.Mutex { return new(sync.Mutex) },
	}
	box.get().Lock()
	box.get().Unlock() // want "empty critical section"
}

// Work between the two calls: a real critical section.
func withWork() {
	n := 0
	var mu sync.Mutex
	mu.Lock()
	n++
	mu.Unlock()
	_ = n
}

// A pointer made with a composite literal.
func pointerLit() {
	mu := &sync.Mutex{}
	mu.Lock()
	mu.Unlock() // want "empty critical section"
}

// An embedded mutex, called through the embedding struct.
func embedded() {
	v := &struct {
		sync.Mutex
		n int
	}{}
	v.Lock()
	v.Unlock() // want "empty critical section: v.Unlock"
}

// Through the sync.Locker interface.
func viaLocker() {
	var l sync.Locker = new(sync.Mutex)
	l.Lock()
	l.Unlock() // want "empty critical section"
}

// An embedded Locker interface.
func embeddedLocker() {
	w := &struct {
		sync.Locker
	}{&sync.Mutex{}}
	w.Lock()
	w.Unlock() // want "empty critical section"
}

// A type whose Lock returns a value is no mutex.
type ticket struct{}

func (ticket) Lock() int { return 0 }
func (ticket) Unlock()   {}

func notAMutex() {
	var t ticket
	t.Lock()
	t.Unlock()
}

// A field of the package's struct type, the usual shape of the typo.
type registry struct {
	mu    sync.Mutex
	items map[string]int
}

func (r *registry) add(k string) {
	r.mu.Lock()
	r.mu.Unlock() // want "empty critical section: r.mu.Unlock\\(\\) directly follows r.mu.Lock\\(\\).*did you mean to defer the unlock\\? \\(r.items is used after it without the lock\\)$"
	r.items[k]++
}

// The fixed twin.
func (r *registry) addFixed(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items[k]++
}

// Two different mutexes.
func twoLocks(a, b *sync.Mutex) {
	a.Lock()
	b.Unlock()
}

// Lock then RUnlock is not a pair.
func mismatched(rw *sync.RWMutex) {
	rw.Lock()
	rw.RUnlock()
}

// Only another lock of the owner is used after it: medium, not high.
type engine struct {
	mu, wgMu sync.Mutex
	peers    int
}

func (e *engine) check() {
	e.mu.Lock()
	e.mu.Unlock() // want "defer the unlock\\?$"
	e.wgMu.Lock()
	e.wgMu.Unlock() // want "defer the unlock\\?$"
}

// The owner's state after the pair: shown by default.
func (e *engine) count() int {
	e.mu.Lock()
	e.mu.Unlock() // want "e.peers is used after it without the lock\\)$"
	return e.peers
}

// A function named for the lock: deliberate.
func (e *engine) probeLocks() int {
	e.mu.Lock()
	e.mu.Unlock() // want "the function.s name says it deals with the lock itself.*\\[low confidence\\]"
	return e.peers
}

// Unlock then Lock: releasing for a moment is a different idiom.
func (r *registry) yield() {
	r.mu.Unlock()
	r.mu.Lock()
}
