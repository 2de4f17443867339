package double_lock

// Calls through an unexported func-typed field that the package always
// sets to one function or to one method of the same object (issue 18,
// first slice): the call is a call of that function.

import "sync"

type Bus struct {
	mu     sync.Mutex
	subs   []int
	notify func()
}

func NewBus() *Bus {
	b := &Bus{}
	b.notify = b.count
	return b
}

func (b *Bus) count() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = len(b.subs)
}

func (b *Bus) Publish(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, n)
	b.notify() // want "b.notify locks it again, and b.mu is already held here"
}

// Look-alikes: the callback takes no lock; an exported hook (code outside
// the package may set it to anything); a func literal (not followed yet);
// a field set to two different functions.
type QuietBus struct {
	mu     sync.Mutex
	subs   []int
	notify func()
	OnSend func()
	tick   func()
	pick   func()
}

func NewQuietBus(fast bool) *QuietBus {
	b := &QuietBus{}
	b.notify = b.size
	b.OnSend = b.locked
	b.tick = func() { b.mu.Lock(); b.mu.Unlock() }
	if fast {
		b.pick = b.size
	} else {
		b.pick = b.locked
	}
	return b
}

func (b *QuietBus) size() { _ = len(b.subs) }

func (b *QuietBus) locked() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = len(b.subs)
}

func (b *QuietBus) Publish(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, n)
	b.notify()
	b.OnSend()
	b.tick()
	b.pick()
}
