package double_lock

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"sync"
)

// A container in the shape of Docker's: a locked method calls a public
// method that takes the same lock.
type Container struct {
	mu      sync.Mutex
	running bool
	pid     int
}

func (c *Container) IsRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

func (c *Container) SetStopped() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.IsRunning() { // want "c.IsRunning locks it again, and c.mu is already held here \\(locked at line 24\\).*blocks forever$"
		c.running = false
	}
}

// Two levels down: Stop -> reset -> IsRunning.
func (c *Container) reset() {
	if c.IsRunning() {
		c.pid = 0
	}
}

func (c *Container) Stop() {
	c.mu.Lock()
	c.reset() // want "c.reset locks it again, and c.mu is already held"
	c.mu.Unlock()
}

// A helper taking the mutex as a parameter.
func bump(mu *sync.Mutex, n *int) {
	mu.Lock()
	*n++
	mu.Unlock()
}

func (c *Container) Bump() {
	c.mu.Lock()
	bump(&c.mu, &c.pid) // want "bump locks it again, and c.mu is already held"
	c.mu.Unlock()
}

// Locked twice in a row.
func (c *Container) Twice() {
	c.mu.Lock()
	c.pid++
	c.mu.Lock() // want "c.mu is locked again while this goroutine already holds it \\(locked at line 59\\)"
	c.mu.Unlock()
}

// RWMutex upgrade: Lock while holding RLock never returns.
type Cache struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *Cache) GetOrInit(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	if !ok {
		c.mu.Lock() // want "c.mu is write-locked while this goroutine holds a read lock"
		c.m[k] = 0
		c.mu.Unlock()
	}
	return v
}

// RLock under the write lock.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

func (c *Cache) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Len() > 100 { // want "c.Len read-locks it again, and c.mu is already held"
		c.m = map[string]int{}
	}
}

// Recursive read locking: deadlocks only if a writer queues in between.
// A goroutine (the janitor) write-locks c.mu, so a writer can queue: medium
// confidence (shown by default, no low-confidence mark).
func (c *Cache) StartJanitor() {
	go c.Reset()
}

func (c *Cache) Sum() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.Len() + len(c.m) // want "c.Len read-locks it again: c.mu is read-locked again.*forever$"
}

// The same with a lock that exported API write-locks, read-locked twice by
// exported API: the package's users call both from goroutines of their
// own, so a writer can queue between the two RLocks (weaviate#4957):
// medium (with no write Lock at all it is silent: see issue11.go).
type Table struct {
	mu   sync.RWMutex
	rows []int
}

func (t *Table) Append(r int) {
	t.mu.Lock()
	t.rows = append(t.rows, r)
	t.mu.Unlock()
}

func (t *Table) Count() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}

func (t *Table) Total() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.Count() * 2 // want "t.Count read-locks it again.*forever$"
}

// A loop whose continue skips the unlock: the next iteration deadlocks.
type Registry struct {
	mu    sync.Mutex
	items map[string]int
}

func (r *Registry) AddAll(keys []string) {
	for _, k := range keys {
		r.mu.Lock() // want "r.mu may still be held when the loop comes back to this Lock"
		if k == "" {
			continue
		}
		r.items[k]++
		r.mu.Unlock()
	}
}

// An embedded mutex.
type Counter struct {
	sync.Mutex
	n int
}

func (c *Counter) Inc() {
	c.Lock()
	c.n++
	c.Lock() // want "c.Mutex is locked again"
	c.Unlock()
}

// ---- look-alikes that must stay silent ----

// Unlock then lock again.
func (c *Container) Relock() {
	c.mu.Lock()
	c.pid++
	c.mu.Unlock()
	c.mu.Lock()
	c.pid++
	c.mu.Unlock()
}

// Different locks of different values.
func Transfer(a, b *Container) {
	a.mu.Lock()
	b.mu.Lock()
	a.pid, b.pid = b.pid, a.pid
	b.mu.Unlock()
	a.mu.Unlock()
}

// The callee releases the caller's lock first (the *Locked helper style).
func (c *Container) waitLocked() {
	c.mu.Unlock()
	c.pid++
	c.mu.Lock()
}

func (c *Container) Wait() {
	c.mu.Lock()
	c.waitLocked()
	c.mu.Unlock()
}

// A method that does not lock.
func (c *Container) pidLocked() int { return c.pid }

func (c *Container) Pid() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pidLocked()
}

// A loop over different objects: each iteration locks another mutex.
func StopAll(cs []*Container) {
	for _, c := range cs {
		c.mu.Lock()
		if !c.running {
			continue
		}
		c.running = false
		c.mu.Unlock()
	}
}

// A loop that unlocks on every path back.
func (r *Registry) Count(keys []string) int {
	n := 0
	for _, k := range keys {
		r.mu.Lock()
		if k == "" {
			r.mu.Unlock()
			continue
		}
		n += r.items[k]
		r.mu.Unlock()
	}
	return n
}

// Lock in a goroutine while the caller holds it is not a self-deadlock.
func (c *Container) Async() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go c.IsRunning()
	go func() {
		c.mu.Lock()
		c.pid = 0
		c.mu.Unlock()
	}()
}

// Unknown receiver type: no finding.
func Opaque(l sync.Locker) {
	l.Lock()
	l.Lock()
}

// Two mutexes of one struct.
type Pair struct {
	a, b sync.Mutex
}

func (p *Pair) Both() {
	p.a.Lock()
	p.b.Lock()
	p.b.Unlock()
	p.a.Unlock()
}

// Correlated conditions.
func (c *Container) Maybe(lock bool) {
	if lock {
		c.mu.Lock()
	}
	c.pid++
	if lock {
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.mu.Unlock()
}
