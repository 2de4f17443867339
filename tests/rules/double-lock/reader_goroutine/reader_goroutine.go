package reader_goroutine

// A recursive RLock in a goroutine the package starts, against a write
// Lock in an exported method: the package's users call the writer from
// their own goroutines (a config reload), so a writer can queue between the
// two RLocks: medium (prometheus#1432); so is a reader that is exported
// API too. With an unexported reader that no goroutine runs, or the only
// writer a constructor, it stays low. Immediately invoked func
// literals count as calls too.

import (
	"sync"
	"time"
)

// Target: the scraper goroutine read-locks, then Labels read-locks again;
// Update write-locks on a reload.
type Target struct {
	sync.RWMutex
	labels map[string]string
	stop   chan struct{}
}

func (t *Target) Update(labels map[string]string) {
	t.Lock()
	t.labels = labels
	t.Unlock()
}

func (t *Target) Labels() map[string]string {
	t.RLock()
	defer t.RUnlock()
	out := make(map[string]string, len(t.labels))
	for k, v := range t.labels {
		out[k] = v
	}
	return out
}

func (t *Target) run() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-t.stop:
			return
		case <-tick.C:
			t.scrape()
		}
	}
}

func (t *Target) scrape() int {
	t.RLock()
	n := len(t.Labels()) // want "t.Labels read-locks it again: t.RWMutex is read-locked again while this goroutine holds a read lock.*forever$"
	t.RUnlock()
	return n
}

// Manager starts the scrapers.
type Manager struct {
	targets []*Target
}

func (m *Manager) Add(t *Target) {
	m.targets = append(m.targets, t)
	go t.run()
}

// FixedTarget: the fixed twin, scrape copies the labels under its own
// RLock and calls nothing that locks again.
type FixedTarget struct {
	sync.RWMutex
	labels map[string]string
	stop   chan struct{}
}

func (t *FixedTarget) Update(labels map[string]string) {
	t.Lock()
	t.labels = labels
	t.Unlock()
}

func (t *FixedTarget) Labels() map[string]string {
	t.RLock()
	defer t.RUnlock()
	return t.labelsLocked()
}

func (t *FixedTarget) labelsLocked() map[string]string {
	out := make(map[string]string, len(t.labels))
	for k, v := range t.labels {
		out[k] = v
	}
	return out
}

func (t *FixedTarget) run() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-t.stop:
			return
		case <-tick.C:
			t.scrape()
		}
	}
}

func (t *FixedTarget) scrape() int {
	t.RLock()
	n := len(t.labelsLocked())
	t.RUnlock()
	return n
}

func (m *Manager) AddFixed(t *FixedTarget) {
	go t.run()
}

// Table: the reader side is exported API, not a goroutine of the package,
// and so is the writer: users call both from their own goroutines:
// medium.
type Table struct {
	mu   sync.RWMutex
	rows []int
}

func (t *Table) Insert(r int) {
	t.mu.Lock()
	t.rows = append(t.rows, r)
	t.mu.Unlock()
}

func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}

func (t *Table) Size() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.Len() * 8 // want "t.Len read-locks it again.*forever$"
}

// Cache: a look-alike of the writer side, the only write Lock is in the
// constructor, before anyone else has the cache: low.
type Cache struct {
	mu    sync.RWMutex
	items map[string]int
	stop  chan struct{}
}

func NewCache() *Cache {
	c := &Cache{stop: make(chan struct{})}
	c.mu.Lock()
	c.items = map[string]int{}
	c.mu.Unlock()
	go c.janitor()
	return c
}

func (c *Cache) Count() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.items)
}

func (c *Cache) janitor() {
	for {
		select {
		case <-c.stop:
			return
		case <-time.After(time.Minute):
			c.mu.RLock()
			_ = c.Count() // want "c.Count read-locks it again.*\\[low confidence\\]"
			c.mu.RUnlock()
		}
	}
}

// Index: an invoked func literal read-locks again under the RLock of a
// goroutine the package starts, against the exported Rebuild.
type Index struct {
	mu   sync.RWMutex
	keys []string
	stop chan struct{}
}

func (x *Index) Rebuild(keys []string) {
	x.mu.Lock()
	x.keys = keys
	x.mu.Unlock()
}

func (x *Index) Start() {
	go x.watch()
}

func (x *Index) watch() {
	for {
		select {
		case <-x.stop:
			return
		case <-time.After(time.Second):
			x.mu.RLock()
			n := func() int {
				x.mu.RLock() // want "x.mu.RLock read-locks it again: x.mu is read-locked again while this goroutine holds a read lock.*forever$"
				defer x.mu.RUnlock()
				return len(x.keys)
			}()
			x.mu.RUnlock()
			_ = n
		}
	}
}

// Bucket: the reader is unexported and no goroutine runs it; whether two
// goroutines ever meet here is not visible: low.
type Bucket struct {
	mu   sync.RWMutex
	keys []string
}

func (b *Bucket) Put(k string) {
	b.mu.Lock()
	b.keys = append(b.keys, k)
	b.mu.Unlock()
}

func (b *Bucket) count() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.keys)
}

func (b *Bucket) summary() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.count() + 1 // want "b.count read-locks it again.*\\[low confidence\\]"
}

func useBucket(b *Bucket) int { return b.summary() }
