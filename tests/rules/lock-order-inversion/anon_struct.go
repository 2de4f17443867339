package lock_order

import "sync"

// A mutex embedded in an unnamed struct field is a lock of its own class
// ("anonCache.entries"), ordered against the other locks like a plain
// sync.Mutex field.

type anonCache struct {
	entries struct {
		sync.RWMutex
		m map[string]string
	}
	statsMu sync.Mutex
	hits    int
}

func (c *anonCache) lookup(k string) string {
	c.entries.RLock()
	defer c.entries.RUnlock()
	c.statsMu.Lock() // want "c.statsMu is locked here while c.entries is held \\(locked at line 19\\), but anon_struct.go:37 locks them in the opposite order \\(c.statsMu, then c.entries\\)"
	c.hits++
	c.statsMu.Unlock()
	return c.entries.m[k]
}

func (c *anonCache) store(k, v string) {
	c.entries.Lock()
	c.entries.m[k] = v
	c.entries.Unlock()
}

// Bug: the stats lock, then the entries lock.
func (c *anonCache) reset() {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	c.entries.Lock()
	c.entries.m = map[string]string{}
	c.entries.Unlock()
	c.hits = 0
}

// Fixed twin: the same two locks, always entries first.
type anonCacheFixed struct {
	entries struct {
		sync.RWMutex
		m map[string]string
	}
	statsMu sync.Mutex
	hits    int
}

func (c *anonCacheFixed) lookup(k string) string {
	c.entries.RLock()
	defer c.entries.RUnlock()
	c.statsMu.Lock()
	c.hits++
	c.statsMu.Unlock()
	return c.entries.m[k]
}

func (c *anonCacheFixed) reset() {
	c.entries.Lock()
	defer c.entries.Unlock()
	c.statsMu.Lock()
	c.entries.m = map[string]string{}
	c.hits = 0
	c.statsMu.Unlock()
}
