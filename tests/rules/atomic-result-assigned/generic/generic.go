package generic

import "sync/atomic"

type signed interface{ ~int64 }

// Ported from vet's type-parameter cases, rewritten.
func subtract(addr *int64, delta int64) int64 {
	*addr = atomic.AddInt64(addr, -delta) // want "assigned to \\*addr"
	return *addr
}

func bump(addr *uintptr, delta uintptr) {
	*addr = atomic.AddUintptr(addr, delta) // want "atomic.AddUintptr is assigned to \\*addr"
}

type box[T signed] struct {
	v *int64
}

func (b box[T]) add(delta int64) int64 {
	*b.v = atomic.AddInt64(b.v, delta) // want "assigned to \\*b.v"
	return *b.v
}

func notThePackage() {
	var atomic box[int64]
	*atomic.v = atomic.add(1)
}
