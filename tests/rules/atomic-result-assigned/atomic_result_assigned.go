package atomic_result_assigned

import "sync/atomic"

// Ported from go vet's atomic check's expected sites, rewritten.

func counters() {
	n := uint64(1)
	n = atomic.AddUint64(&n, 1)           // want "the result of atomic.AddUint64 is assigned to n"
	_, n = 7, atomic.AddUint64(&n, 2)     // want "assigned to n"
	n, _ = atomic.AddUint64(&n, 3), 7     // want "assigned to n"
	n, _ = (atomic.AddUint64)(&n, 4), 7   // want "assigned to n"

	p := &n
	*p = atomic.AddUint64(p, 1) // want "assigned to \\*p"

	var holder struct{ hits uint64 }
	holder.hits = atomic.AddUint64(&holder.hits, 1) // want "assigned to holder.hits"
	fresh := atomic.AddUint64(&holder.hits, 1)
	_ = fresh

	var ref struct{ hits *uint64 }
	*ref.hits = atomic.AddUint64(ref.hits, 1) // want "assigned to \\*ref.hits"
	other := atomic.AddUint64(ref.hits, 1)
	_ = other

	slots := []uint64{1, 2}
	slots[0] = atomic.AddUint64(&slots[0], 1) // want "assigned to slots\\[0\\]"
	slots[1] = atomic.AddUint64(&slots[0], 1)

	ptrs := []*uint64{&slots[0], &slots[1]}
	*ptrs[0] = atomic.AddUint64(ptrs[0], 1) // want "assigned to \\*ptrs\\[0\\]"
	*ptrs[1] = atomic.AddUint64(ptrs[0], 1)

	{
		// := with one name declares a new n: no write to the old one
		n := atomic.AddUint64(&n, 1)
		// with two names it assigns the n this block already declared
		n, extra := atomic.AddUint64(&n, 1), 3 // want "assigned to n"
		_ = extra
	}
	{
		// here n is the outer one: := declares a new n in this block
		n, extra := atomic.AddUint64(&n, 1), 3
		_, _ = n, extra
	}
}

// Swap returns the old value: writing it back undoes the swap.
func swaps(flag *int32) {
	var state int32
	state = atomic.SwapInt32(&state, 1) // want "atomic.SwapInt32 is assigned to state"
	old := atomic.SwapInt32(flag, 0)
	_ = old
}

// The fixed twins.
func fixed() uint64 {
	var n uint64
	atomic.AddUint64(&n, 1)
	v := atomic.AddUint64(&n, 1)
	return v
}

// Compound assignments and other variables.
func lookAlikes(total *uint64) {
	var n, m uint64
	m = atomic.AddUint64(&n, 1)
	*total += atomic.AddUint64(&n, 1)
	_ = atomic.LoadUint64(&m)
	m = atomic.LoadUint64(&m)
}

// A local named atomic is not the package.
type fakeAtomic struct{}

func (fakeAtomic) AddUint64(p *uint64, d uint64) uint64 { return 0 }

func shadowed() {
	n := uint64(1)
	var atomic fakeAtomic
	n = atomic.AddUint64(&n, 1)
	_ = n
}
