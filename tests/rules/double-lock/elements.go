package double_lock

// Locks of map elements are known by their class only: a loop that locks
// one element per key, or the same expression locked twice with another
// key in between, is not judged as one lock taken twice.

import "sync"

type Slot struct {
	mu sync.Mutex
	n  int
}

type SlotTable struct {
	slots map[string]*Slot
}

func (t *SlotTable) LockAll(keys []string) {
	for _, k := range keys {
		t.slots[k].mu.Lock()
	}
}

func (t *SlotTable) UnlockAll(keys []string) {
	for _, k := range keys {
		t.slots[k].mu.Unlock()
	}
}

func (t *SlotTable) Move(from, to string) {
	k := from
	t.slots[k].mu.Lock()
	t.slots[k].n--
	k = to
	t.slots[k].mu.Lock()
	t.slots[k].n++
	t.slots[k].mu.Unlock()
	t.slots[from].mu.Unlock()
}
