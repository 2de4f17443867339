package sync_value_copied

// Types declared inside a function: their fields resolve like those of
// package-level types.

import "sync"

func tally(record func(any)) {
	type slot struct {
		n  int
		mu sync.Mutex
	}
	var s slot
	record(s.mu)      // want "call of record copies lock value s.mu: sync.Mutex"
	record(s)         // want "call of record copies lock value s: slot contains sync.Mutex"
	record(slot{}.mu) // want "call of record copies lock value slot\\{\\}.mu: sync.Mutex.*\\[low confidence\\]"

	// Silent: an address, and a field that holds no lock.
	record(&s.mu)
	record(s.n)
}

// Silent: a local type named like a package-level one with a lock, but
// holding none itself; the local declaration wins in its function.
func shadowedType(record func(any)) {
	type Cache struct{ hits int }
	var c Cache
	record(c)
}
