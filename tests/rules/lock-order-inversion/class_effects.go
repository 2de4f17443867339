package lock_order

// Locks reached through map elements, calls' results and a callee's
// locals are known by their class (field mu of type Tenant): they order
// the locks held around them.

import "sync"

type Tenant struct {
	mu    sync.Mutex
	quota int
}

type Registry struct {
	mu      sync.Mutex
	tenants map[string]*Tenant
}

// bump locks a tenant it looks up: the caller's locks come before
// Tenant.mu.
func (r *Registry) bump(name string) {
	t := r.tenants[name]
	t.mu.Lock()
	t.quota++
	t.mu.Unlock()
}

func (r *Registry) Charge(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bump(name) // want "Tenant.mu is locked here while r.mu is held.*opposite order"
}

func (t *Tenant) Leave(r *Registry, name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r.mu.Lock()
	delete(r.tenants, name)
	r.mu.Unlock()
}

// The same through a map element and a getter, directly.
type Zone struct {
	mu   sync.Mutex
	load int
}

type Grid struct {
	mu    sync.Mutex
	zones map[int]*Zone
}

func (g *Grid) zone(i int) *Zone { return g.zones[i] }

func (g *Grid) Rebalance(i int) {
	g.mu.Lock()
	g.zones[i].mu.Lock() // want "g.zones\\[i\\].mu is locked here while g.mu is held.*opposite order"
	g.zones[i].load = 0
	g.zones[i].mu.Unlock()
	g.mu.Unlock()
}

func (g *Grid) Report(i int) int {
	z := g.zone(i)
	z.mu.Lock()
	defer z.mu.Unlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	return z.load
}

// A look-alike: the callee locks an object of its own making, which no
// one else can hold yet: no order with the caller's locks, silent.
type Batch struct {
	mu    sync.Mutex
	items []int
}

type Queue struct {
	mu      sync.Mutex
	batches []*Batch
}

func (q *Queue) newBatch() *Batch {
	b := &Batch{}
	b.mu.Lock()
	b.items = make([]int, 0, 8)
	b.mu.Unlock()
	return b
}

func (q *Queue) Flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.batches = append(q.batches, q.newBatch())
}

func (b *Batch) Requeue(q *Queue) {
	b.mu.Lock()
	defer b.mu.Unlock()
	q.mu.Lock()
	q.batches = append(q.batches, b)
	q.mu.Unlock()
}
