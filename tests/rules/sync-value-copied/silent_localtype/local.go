// Package silent_localtype: local types named like sync's and embedded
// pointers to lock-holding structs.
package silent_localtype

import "sync"

type Mutex struct{ locked bool }

type WaitGroup struct{ n int }

func lockIt(m Mutex) bool        { return m.locked }
func count(wg WaitGroup) int     { return wg.n }
func (m Mutex) isLocked() bool   { return m.locked }
func (wg WaitGroup) value() int  { return wg.n }

type Link struct {
	mu   sync.Mutex
	name string
}

// Embeds a pointer: copying ctxt copies the pointer, not the lock.
type ctxt struct{ *Link }

func (c ctxt) Name() string { return c.name }

func (c ctxt) link() *Link {
	l := c.Link
	return l
}
