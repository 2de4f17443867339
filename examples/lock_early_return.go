package darkpatterns

// Pattern: an early return between Lock and Unlock (not in the seed; the
// most common blocking bug in large Go projects).
// The mutex stays locked for ever after the first invalid key: every later
// Put, and everything else that needs the lock, blocks.
// Fix: defer the unlock right after locking.

import (
	"errors"
	"sync"
)

type store struct {
	mu   sync.Mutex
	data map[string]string
}

func (s *store) Put(k, v string) error {
	s.mu.Lock()
	if k == "" {
		return errors.New("empty key") // GD402
	}
	s.data[k] = v
	s.mu.Unlock()
	return nil
}

func (s *store) PutFixed(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k == "" {
		return errors.New("empty key")
	}
	s.data[k] = v
	return nil
}
