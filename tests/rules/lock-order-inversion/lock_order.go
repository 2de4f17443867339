package lock_order

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import "sync"

// Two types locked in opposite orders by two methods (a ledger and an
// account, the shape of many "AB-BA" deadlocks in storage code).
type Account struct {
	mu      sync.Mutex
	balance int
}

type Ledger struct {
	mu      sync.Mutex
	entries []int
}

func (l *Ledger) Record(a *Account, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a.mu.Lock() // want "a.mu is locked here while l.mu is held \\(locked at line 20\\), but lock_order.go:31 locks them in the opposite order \\(a.mu, then l.mu\\)"
	a.balance += n
	a.mu.Unlock()
	l.entries = append(l.entries, n)
}

func (a *Account) Close(l *Ledger) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l.append(-a.balance)
}

func (l *Ledger) append(n int) {
	l.mu.Lock()
	l.entries = append(l.entries, n)
	l.mu.Unlock()
}

// Package-level locks, one order through a helper call.
var (
	routesMu sync.Mutex
	peersMu  sync.RWMutex
	routes   = map[string]string{}
	peers    = map[string]int{}
)

func lockedPeers() int {
	peersMu.RLock()
	defer peersMu.RUnlock()
	return len(peers)
}

func AddRoute(k, v string) {
	routesMu.Lock()
	defer routesMu.Unlock()
	if lockedPeers() > 0 { // want "peersMu is read-locked here while routesMu is held.*opposite order"
		routes[k] = v
	}
}

func RemovePeer(k string) {
	peersMu.Lock()
	defer peersMu.Unlock()
	delete(peers, k)
	routesMu.Lock()
	delete(routes, k)
	routesMu.Unlock()
}

// ---- look-alikes that must stay silent ----

// The same order everywhere.
type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

type Index struct {
	mu sync.Mutex
	n  int
}

func (c *Cache) Put(ix *Index, k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ix.mu.Lock()
	ix.n++
	ix.mu.Unlock()
	c.m[k] = ix.n
}

func (c *Cache) Drop(ix *Index, k string) {
	c.mu.Lock()
	ix.mu.Lock()
	ix.n--
	ix.mu.Unlock()
	delete(c.m, k)
	c.mu.Unlock()
}

// Released before the other is taken.
func (ix *Index) Sync(c *Cache) {
	ix.mu.Lock()
	n := ix.n
	ix.mu.Unlock()
	c.mu.Lock()
	c.m["n"] = n
	c.mu.Unlock()
}

// Two read locks do not block each other.
type Config struct {
	mu   sync.RWMutex
	vals map[string]string
}

type Schema struct {
	mu     sync.RWMutex
	fields []string
}

func (c *Config) Validate(s *Schema) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.fields) <= len(c.vals)
}

func (s *Schema) Covers(c *Config) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(s.fields) >= len(c.vals)
}

// Two values of the same type: the order between instances is not a
// class-level inversion (reported nowhere).
func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	to.mu.Lock()
	from.balance -= n
	to.balance += n
	to.mu.Unlock()
	from.mu.Unlock()
}
