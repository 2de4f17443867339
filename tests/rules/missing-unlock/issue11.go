package missing_unlock

import (
	"errors"
	"sync"
)

// Recall (issue 11): a doc comment that merely mentions the lock is not a
// contract to return with it held; only one that says so is.
type Buf struct {
	mu  sync.Mutex
	err error
	n   int
}

// flush resets the buffer. An early return while holding the lock was a
// bug here once; the function takes the lock itself.
func (b *Buf) flush() error {
	b.mu.Lock()
	if b.err != nil {
		return b.err // want "b.mu \\(locked at line 19\\) is still held when this return is taken"
	}
	b.n = 0
	b.mu.Unlock()
	return nil
}

// grab returns with b.mu held when it succeeds; the caller must unlock it.
func (b *Buf) grab() error {
	b.mu.Lock()
	if b.n > 0 {
		return nil
	}
	b.mu.Unlock()
	return errors.New("empty")
}

// A name with "lock" in it that is not about locking (Block, clock) is not
// a contract either.
func (b *Buf) processBlock() error {
	b.mu.Lock()
	if b.err != nil {
		return b.err // want "b.mu \\(locked at line 41\\) is still held"
	}
	b.mu.Unlock()
	return nil
}

// A ...Locked-style name is.
func (b *Buf) tryLocked() error {
	b.mu.Lock()
	if b.n > 0 {
		return nil
	}
	b.mu.Unlock()
	return nil
}

// A return under `if false` (kept to please a linter) never runs.
func (b *Buf) critical() {
	b.mu.Lock()
	if false {
		return
	}
	b.mu.Unlock()
}

// Returning locked on one path is the protocol when every caller releases
// the lock after the call.
func (b *Buf) step() bool {
	b.mu.Lock()
	if b.n > 0 {
		return true
	}
	b.mu.Unlock()
	return false
}

func (b *Buf) Drive() {
	if b.step() {
		b.n--
		b.mu.Unlock()
	}
}

func drain(b *Buf) {
	for b.step() {
		b.n = 0
		b.mu.Unlock()
	}
}

// One caller that never unlocks: the early return is reported.
func (b *Buf) next() bool {
	b.mu.Lock()
	if b.n > 0 {
		return true // want "b.mu \\(locked at line 95\\) is still held when this return is taken"
	}
	b.mu.Unlock()
	return false
}

func (b *Buf) Run() {
	if b.next() {
		b.n--
		b.mu.Unlock()
	}
}

func (b *Buf) Peek() bool {
	return b.next()
}
