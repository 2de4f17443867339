package write_under_read_lock

// Look-alikes: writes under a read lock that do not race.

import (
	"sync"
	"sync/atomic"
)

type Item struct {
	n int
}

type Store struct {
	mu     sync.RWMutex
	itemMu sync.Mutex
	items  map[string]*Item
	seen   sync.Map
	once   sync.Once
	index  map[string]int
	ch     chan string
	flag   atomic.Bool
	total  int
}

// Two levels: the read lock for the map, a plain mutex for the field.
func (s *Store) Count(k string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.itemMu.Lock()
	s.total++
	s.itemMu.Unlock()
}

// Synchronised fields: sync.Map, a channel send, atomics.
func (s *Store) Visit(k string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.seen.Store(k, true)
	s.ch <- k
	s.flag.Store(true)
}

// A write inside sync.Once.Do: the Once serialises it.
func (s *Store) Index() map[string]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.once.Do(func() {
		s.index = make(map[string]int)
		for k := range s.items {
			s.index[k] = len(s.index)
		}
	})
	return s.index
}

// Writes to locals and to a fresh value no one else sees.
func (s *Store) Snapshot() *Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]int, len(s.items))
	n := 0
	for k, it := range s.items {
		out[k] = it.n
		n++
	}
	c := &Store{index: out}
	c.mu.RLock()
	c.total = n
	c.mu.RUnlock()
	return c
}

// A constructor: the value is not shared yet.
func NewStore() *Store {
	s := &Store{items: map[string]*Item{}}
	s.mu.RLock()
	s.total = 0
	s.mu.RUnlock()
	return s
}

// Another object's field: the read lock of one value does not guard the
// fields of another.
func (s *Store) CopyTo(d *Store) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d.mu.Lock()
	d.total = s.total
	d.mu.Unlock()
}

// Written after the read lock is released.
func (s *Store) Bump() {
	s.mu.RLock()
	n := s.total
	s.mu.RUnlock()
	s.mu.Lock()
	s.total = n + 1
	s.mu.Unlock()
}

// The read lock on some paths only.
func (s *Store) Maybe(locked bool) {
	if locked {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	s.total++
}

// A field write through an element pointer: the element is not the
// locked value.
func (s *Store) Touch(k string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if it := s.items[k]; it != nil {
		it.n++
	}
}
