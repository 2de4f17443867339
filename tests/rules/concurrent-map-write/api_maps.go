package concurrent_map_write

// Map fields across exported methods (low confidence): a method that locks
// the type's mutex is run by its callers from several goroutines; another
// exported method writes a map it reads, with no lock on either side.

import "sync"

type Hook func(string)

type podStore struct {
	mu    sync.RWMutex
	pods  map[string]bool
	hooks map[string][]Hook
}

func NewPodStore() *podStore {
	return &podStore{pods: map[string]bool{}, hooks: map[string][]Hook{}}
}

func (s *podStore) OnDelete(kind string, h Hook) {
	s.hooks[kind] = append(s.hooks[kind], h) // want "map s.hooks is written here with no lock, while Delete reads it \\(through fire, api_maps.go:[0-9]+\\) with none: Delete locks the podStore's sync.RWMutex elsewhere"
}

func (s *podStore) fire(kind, name string) {
	for _, h := range s.hooks[kind] {
		h(name)
	}
}

func (s *podStore) Delete(name string) {
	s.mu.Lock()
	delete(s.pods, name)
	s.mu.Unlock()
	s.fire("pod", name)
}

// Fixed: the hooks are guarded by the same mutex on both sides.
type lockedPodStore struct {
	mu    sync.RWMutex
	pods  map[string]bool
	hooks map[string][]Hook
}

func NewLockedPodStore() *lockedPodStore {
	return &lockedPodStore{pods: map[string]bool{}, hooks: map[string][]Hook{}}
}

func (s *lockedPodStore) OnDelete(kind string, h Hook) {
	s.mu.Lock()
	s.hooks[kind] = append(s.hooks[kind], h)
	s.mu.Unlock()
}

func (s *lockedPodStore) Delete(name string) {
	s.mu.Lock()
	delete(s.pods, name)
	hooks := s.hooks["pod"]
	s.mu.Unlock()
	for _, h := range hooks {
		h(name)
	}
}

// Look-alike: a type with no mutex promises no concurrent use.
type plainStore struct {
	hooks map[string][]Hook
}

func NewPlainStore() *plainStore { return &plainStore{hooks: map[string][]Hook{}} }

func (s *plainStore) OnDelete(kind string, h Hook) { s.hooks[kind] = append(s.hooks[kind], h) }

func (s *plainStore) Delete(name string) {
	for _, h := range s.hooks["pod"] {
		h(name)
	}
}
