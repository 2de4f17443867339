// Upstream: https://github.com/hashicorp/golang-lru/issues/230 (fix: PR 233)
// Project: hashicorp/golang-lru (v2, package expirable)
// Bug: expirable.LRU calls the onEvict callback given to NewLRU from
// removeElement, which runs with c.mu held (from Remove, Add's size
// eviction, Purge and the TTL cleanup goroutine's deleteExpired). A callback
// that touches the cache, here one that records the cache size with
// c.Len(), locks c.mu again: Remove never returns, and the cleanup goroutine
// wedges the same way on the first expired entry.
// The BUG line is the call made under the lock on the path (Remove),
// where a double lock through removeElement is reported; Add and
// deleteExpired make the same call.
// Kind: deadlock
// Want: GD403
package golanglru230

import (
	"container/list"
	"sync"
	"time"
)

// EvictCallback is used to get a callback when a cache entry is evicted.
type EvictCallback[K comparable, V any] func(key K, value V)

type entry[K comparable, V any] struct {
	key       K
	value     V
	expiresAt time.Time
}

// LRU implements a thread-safe LRU with expirable entries.
type LRU[K comparable, V any] struct {
	size      int
	evictList *list.List
	items     map[K]*list.Element
	onEvict   EvictCallback[K, V]

	mu   sync.Mutex
	ttl  time.Duration
	done chan struct{}
}

// NewLRU returns a new thread-safe cache with expirable entries; a goroutine
// deletes expired entries until Close.
func NewLRU[K comparable, V any](size int, onEvict EvictCallback[K, V], ttl time.Duration) *LRU[K, V] {
	c := &LRU[K, V]{
		size:      size,
		evictList: list.New(),
		items:     make(map[K]*list.Element),
		onEvict:   onEvict,
		ttl:       ttl,
		done:      make(chan struct{}),
	}
	go func(done <-chan struct{}) {
		ticker := time.NewTicker(c.ttl / 100)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				c.deleteExpired()
			}
		}
	}(c.done)
	return c
}

// Add adds a value to the cache. Returns true if an eviction occurred.
func (c *LRU[K, V]) Add(key K, value V) (evicted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.removeElement(e)
	}
	ent := &entry[K, V]{key: key, value: value, expiresAt: time.Now().Add(c.ttl)}
	c.items[key] = c.evictList.PushFront(ent)
	if c.size > 0 && c.evictList.Len() > c.size {
		c.removeElement(c.evictList.Back())
		return true
	}
	return false
}

// Remove removes the provided key from the cache, returning if the key was
// contained.
func (c *LRU[K, V]) Remove(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.removeElement(e) // BUG: removeElement calls c.onEvict with c.mu held; newSessions' callback calls c.Len, which locks c.mu
		return true
	}
	return false
}

// Len returns the number of items in the cache.
func (c *LRU[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.evictList.Len()
}

// Close stops the cleanup goroutine.
func (c *LRU[K, V]) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.done:
	default:
		close(c.done)
	}
}

// removeElement removes an element from the cache. Has to be called with lock!
func (c *LRU[K, V]) removeElement(e *list.Element) {
	ent := c.evictList.Remove(e).(*entry[K, V])
	delete(c.items, ent.key)
	if c.onEvict != nil {
		c.onEvict(ent.key, ent.value) // called with c.mu held by every caller
	}
}

// deleteExpired removes the entries whose TTL has passed.
func (c *LRU[K, V]) deleteExpired() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for e := c.evictList.Back(); e != nil; {
		prev := e.Prev()
		if now.After(e.Value.(*entry[K, V]).expiresAt) {
			c.removeElement(e)
		}
		e = prev
	}
}

// sessions is the caller from the issue: the eviction callback reports the
// cache size.
type sessions struct {
	cache   *LRU[string, string]
	gaugeFn func(int)
}

func newSessions(gauge func(int)) *sessions {
	s := &sessions{gaugeFn: gauge}
	s.cache = NewLRU[string, string](128, func(string, string) {
		s.gaugeFn(s.cache.Len())
	}, time.Minute)
	return s
}

func (s *sessions) logout(id string) {
	s.cache.Remove(id)
}
