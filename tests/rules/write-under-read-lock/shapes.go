package write_under_read_lock

// Writes made while only the read lock of the RWMutex that guards them is
// held: the readers run together, so their writes race.

import "sync"

type Stats struct {
	mu    sync.RWMutex
	count int
	cache map[string]int
	items []string
	last  string
	inner struct {
		hits int
	}
}

func (s *Stats) Get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.count++ // want "s.count is written while only the read lock s.mu is held \\(RLock at line 20\\): other readers hold it at the same time, so their writes race"
	return s.cache[k]
}

func (s *Stats) Memo(k string, v int) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if old, ok := s.cache[k]; ok {
		return old
	}
	s.cache[k] = v // want "map s.cache is written while only the read lock s.mu is held \\(RLock at line 27\\).*concurrent map writes"
	return v
}

func (s *Stats) Forget(k string) {
	s.mu.RLock()
	delete(s.cache, k) // want "map s.cache is written while only the read lock s.mu is held"
	s.mu.RUnlock()
}

func (s *Stats) Note(x string) {
	s.mu.RLock()
	s.items = append(s.items, x) // want "s.items is written while only the read lock s.mu"
	s.last = x                   // want "s.last is written"
	s.mu.RUnlock()
}

func (s *Stats) Bump() {
	s.mu.RLock()
	s.inner.hits += 2 // want "s.inner.hits is written while only the read lock s.mu"
	s.mu.RUnlock()
}

func (s *Stats) SetFirst(x string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.items) > 0 {
		s.items[0] = x // want "s.items has an element written while only the read lock s.mu"
	}
}

// An embedded RWMutex.
type Registry struct {
	sync.RWMutex
	names map[string]bool
	n     int
}

func (r *Registry) Has(name string) bool {
	r.RLock()
	defer r.RUnlock()
	r.n++ // want "r.n is written while only the read lock r.RWMutex is held"
	return r.names[name]
}

// A package variable guarded by a package RWMutex.
var (
	regMu    sync.RWMutex
	registry = map[string]int{}
	lookups  int
)

func Lookup(name string) int {
	regMu.RLock()
	defer regMu.RUnlock()
	lookups++ // want "lookups is written while only the read lock regMu is held"
	return registry[name]
}

func LookupOrAdd(name string) int {
	regMu.RLock()
	defer regMu.RUnlock()
	if v, ok := registry[name]; ok {
		return v
	}
	registry[name] = len(registry) // want "map registry is written while only the read lock regMu is held"
	return registry[name]
}

// The writers that take the write lock, as they should.
func (s *Stats) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count = 0
	s.cache = map[string]int{}
	s.items = nil
}

func (r *Registry) Add(name string) {
	r.Lock()
	r.names[name] = true
	r.Unlock()
}

func Register(name string) {
	regMu.Lock()
	registry[name] = len(registry)
	regMu.Unlock()
}
