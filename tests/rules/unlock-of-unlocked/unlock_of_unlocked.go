package unlock_of_unlocked

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"errors"
	"sync"
)

type Queue struct {
	mu    sync.Mutex
	items []int
}

// An explicit unlock added to a function that already defers one.
func (q *Queue) Pop() (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock() // want "this deferred unlock of q.mu runs when the function returns, but q.mu was already unlocked on line 20"
	if len(q.items) == 0 {
		q.mu.Unlock()
		return 0, errors.New("empty")
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x, nil
}

// The error path unlocks a second time.
func (q *Queue) Push(x int) error {
	q.mu.Lock()
	if x < 0 {
		q.mu.Unlock()
		q.mu.Unlock() // want "q.mu is unlocked here but was already unlocked \\(unlocked at line 32\\)"
		return errors.New("negative")
	}
	q.items = append(q.items, x)
	q.mu.Unlock()
	return nil
}

// RWMutex mix-ups.
type Table struct {
	mu   sync.RWMutex
	rows map[int]string
}

func (t *Table) Get(k int) string {
	t.mu.RLock()
	v := t.rows[k]
	t.mu.Unlock() // want "t.mu is read-locked here, not write-locked"
	return v
}

func (t *Table) Put(k int, v string) {
	t.mu.Lock()
	t.rows[k] = v
	t.mu.RUnlock() // want "t.mu is write-locked here, not read-locked"
}

// ---- look-alikes that must stay silent ----

// Unlock of a lock the caller holds: the helper's contract.
func (q *Queue) unlockAndNotify() {
	q.mu.Unlock()
}

// Unlock, relock, deferred unlock: balanced.
func (q *Queue) Slow() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.mu.Unlock()
	q.items = nil
	q.mu.Lock()
}

// Unlocked on one branch, then conditionally.
func (q *Queue) Branchy(early bool) {
	q.mu.Lock()
	if early {
		q.mu.Unlock()
	}
	q.items = nil
	if !early {
		q.mu.Unlock()
	}
}

// Recursive read locks released one by one.
func (t *Table) Nested() {
	t.mu.RLock()
	t.mu.RLock()
	t.mu.RUnlock()
	t.mu.RUnlock()
}

// A deferred func literal that unlocks only if still locked.
func (q *Queue) Guarded() {
	q.mu.Lock()
	locked := true
	defer func() {
		if locked {
			q.mu.Unlock()
		}
	}()
	q.mu.Unlock()
	locked = false
}
