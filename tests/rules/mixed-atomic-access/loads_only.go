package metrics

import "sync/atomic"

// Only loads are atomic (the atomic writer of an old API is gone), and no
// goroutine of the package reaches the buffer: the loads are vestigial,
// the plain writes race with nothing godark can see. Low.
type arenaBuf struct {
	offset uint64
	buf    []byte
}

func (b *arenaBuf) Len() int { return int(atomic.LoadUint64(&b.offset)) }

func (b *arenaBuf) Allocate(n int) []byte {
	off := b.offset
	b.offset += uint64(n) // want "plain write to b.offset, which is also read with atomic.LoadUint64 .*vestigial\\) \\[low confidence\\]"
	return b.buf[off:b.offset]
}

// The same only-loads field, but a goroutine of the package polls it
// while the owner allocates: high.
type ringBuf struct {
	offset uint64
	buf    []byte
}

func (b *ringBuf) Len() int { return int(atomic.LoadUint64(&b.offset)) }

func (b *ringBuf) Allocate(n int) []byte {
	off := b.offset
	b.offset += uint64(n) // want "plain write to b.offset, which is also read with atomic.LoadUint64 .*expect every writer to be atomic$"
	return b.buf[off:b.offset]
}

func watchRing(b *ringBuf, out chan<- int) {
	go func() {
		for {
			out <- b.Len()
		}
	}()
}

// An atomic writer exists: high as before (the lost update).
type countBuf struct {
	offset uint64
}

func (b *countBuf) Bump() { atomic.AddUint64(&b.offset, 1) }

func (b *countBuf) Len() int { return int(atomic.LoadUint64(&b.offset)) }

func (b *countBuf) Skip(n int) {
	b.offset += uint64(n) // want "plain write to b.offset, which is also updated with atomic.AddUint64"
}
