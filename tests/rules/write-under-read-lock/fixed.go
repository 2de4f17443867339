package write_under_read_lock

// The fixed twins: the write lock for the write, atomics for counters, and
// the double-checked upgrade done right.

import (
	"sync"
	"sync/atomic"
)

type Fixed struct {
	mu    sync.RWMutex
	hits  atomic.Int64
	n     int64
	cache map[string]int
}

func (s *Fixed) Get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.hits.Add(1)
	atomic.AddInt64(&s.n, 1)
	return s.cache[k]
}

func (s *Fixed) Memo(k string, v int) int {
	s.mu.RLock()
	if old, ok := s.cache[k]; ok {
		s.mu.RUnlock()
		return old
	}
	s.mu.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.cache[k]; ok {
		return old
	}
	s.cache[k] = v
	return v
}

func (s *Fixed) Forget(k string) {
	s.mu.Lock()
	delete(s.cache, k)
	s.mu.Unlock()
}

// Upgrade inside the branch, then back to the read lock.
func (s *Fixed) Ensure(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.cache[k]
	if !ok {
		s.mu.RUnlock()
		s.mu.Lock()
		if v, ok = s.cache[k]; !ok {
			v = len(s.cache)
			s.cache[k] = v
		}
		s.mu.Unlock()
		s.mu.RLock()
	}
	return v
}
