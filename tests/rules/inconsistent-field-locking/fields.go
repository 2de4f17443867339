package fields

// The inferred-guard findings of this rule have low confidence (the ...Locked
// calls from goroutines in locked_calls.go are default).
// Bad cases carry a want comment; look-alikes that must stay silent do not.

import "sync"

// A cache whose entries map is guarded by mu everywhere but in Purge (the
// shape of many "forgot the lock in one method" races).
type Cache struct {
	mu      sync.Mutex
	entries map[string]int
	hits    int
	name    string
}

func NewCache(name string) *Cache {
	c := &Cache{name: name}
	c.entries = map[string]int{}
	return c
}

func (c *Cache) Get(k string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.entries[k]
	if ok {
		c.hits++
	}
	return v, ok
}

func (c *Cache) Put(k string, v int) {
	c.mu.Lock()
	c.entries[k] = v
	c.mu.Unlock()
}

func (c *Cache) Delete(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, k)
}

func (c *Cache) Purge() {
	c.entries = map[string]int{} // want "c.entries is written here without holding c.mu, which is held at 5 of the 6 accesses.*\\[low confidence\\]"
}

// A counter read without the lock.
func (c *Cache) Stats() (int, int) {
	c.mu.Lock()
	n := len(c.entries)
	c.mu.Unlock()
	return n, c.hits // want "c.hits is read here without holding c.mu.*\\[low confidence\\]"
}

func (c *Cache) ResetHits() {
	c.mu.Lock()
	c.hits = 0
	c.mu.Unlock()
}

func (c *Cache) AddHits(n int) {
	c.mu.Lock()
	c.hits += n
	c.mu.Unlock()
}

// ---- look-alikes that must stay silent ----

// A field never written after construction: name is read freely.
func (c *Cache) Name() string { return c.name }

func (c *Cache) Label() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.name + ":" + string(rune(len(c.entries)))
}

// A helper whose name says the caller holds the lock.
func (c *Cache) sizeLocked() int { return len(c.entries) }

// A helper every caller calls with the lock held.
func (c *Cache) grow() { c.entries["_grow"] = 0 }

func (c *Cache) Grow() {
	c.mu.Lock()
	c.grow()
	c.mu.Unlock()
}

// A type with too few locked accesses to infer anything.
type Pair struct {
	mu   sync.Mutex
	a, b int
}

func (p *Pair) SetA(v int) {
	p.mu.Lock()
	p.a = v
	p.mu.Unlock()
}

func (p *Pair) A() int { return p.a }
