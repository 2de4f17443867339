// Upstream: https://github.com/livekit/livekit/pull/3625
// Project: livekit/livekit
// Bug: Close sets `closed` and calls readCond.Broadcast without holding the
// buffer lock. A reader that has just checked `closed` (false) under the lock
// but not yet entered Wait misses the Broadcast and hangs in Wait forever.
// Kind: deadlock
// Want: GD408
package livekit3625

import (
	"io"
	"sync"
	"sync/atomic"
)

type Buffer struct {
	sync.RWMutex
	readCond  *sync.Cond
	closeOnce sync.Once
	closed    atomic.Bool
	bucket    [][]byte
}

func NewBuffer() *Buffer {
	b := &Buffer{}
	b.readCond = sync.NewCond(&b.RWMutex)
	return b
}

func (b *Buffer) Write(pkt []byte) {
	b.Lock()
	b.bucket = append(b.bucket, pkt)
	b.Unlock()
	b.readCond.Signal()
}

func (b *Buffer) ReadExtended() ([]byte, error) {
	b.Lock()
	defer b.Unlock()
	for {
		if b.closed.Load() {
			return nil, io.EOF
		}
		if len(b.bucket) > 0 {
			pkt := b.bucket[0]
			b.bucket = b.bucket[1:]
			return pkt, nil
		}
		b.readCond.Wait() // BUG: can miss Close's Broadcast and wait forever
	}
}

func (b *Buffer) Close() error {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		b.readCond.Broadcast()
	})
	return nil
}
