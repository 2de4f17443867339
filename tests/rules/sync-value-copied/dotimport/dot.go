// Package dotimport: sync dot-imported and aliased.
package dotimport

import (
	. "sync"
	s "sync"
)

type registry struct {
	lock  RWMutex
	names []string
}

func (r registry) Len() int { // want "method Len has a value receiver that copies the lock: registry contains sync.RWMutex"
	return len(r.names)
}

func wait(g s.WaitGroup) { // want "parameter g passes lock by value: sync.WaitGroup"
	g.Wait()
}

func waitOK(g *s.WaitGroup) { g.Wait() }
