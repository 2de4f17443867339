package sync_value_copied

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"net/http"
	"sync"
)

type Cache struct {
	mu    sync.RWMutex
	items map[string]string
}

// Value receiver: every call locks its own copy.
func (c Cache) Get(k string) string { // want "method Get has a value receiver that copies the lock: Cache contains sync.RWMutex"
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[k]
}

// WaitGroup passed by value: Done never reaches the caller's counter.
func worker(id int, wg sync.WaitGroup) { // want "parameter wg passes lock by value: sync.WaitGroup"
	defer wg.Done()
	_ = id
}

// A struct embedding a Mutex, through two levels of this package's types.
type inner struct{ sync.Mutex }
type Stats struct {
	in   inner
	hits int
}

func report(s Stats) int { // want "parameter s passes lock by value: Stats contains sync.Mutex"
	return s.hits
}

// Func literal parameter.
var handler = func(o sync.Once) {} // want "parameter o passes lock by value: sync.Once"

// Range value copies.
type conn struct {
	mu  sync.Mutex
	buf []byte
}

func flushAll(conns []conn) {
	for _, c := range conns { // want "range variable c copies lock value: conn contains sync.Mutex"
		c.mu.Lock()
		c.buf = c.buf[:0]
		c.mu.Unlock()
	}
}

// Assignment copies of existing values.
type Server struct {
	mu    sync.Mutex
	state int
	cache Cache
}

func (s *Server) snapshot() int {
	copied := *s // want "assignment to copied copies lock value \\*s: Server contains sync.Mutex"
	return copied.state
}

func (s *Server) cacheCopy() {
	var c Cache
	c = s.cache // want "assignment to c copies lock value s.cache: Cache contains sync.RWMutex"
	var d = s.cache // want "declaration of d copies lock value s.cache"
	_, _ = c, d
}

// Returning an existing variable copies it.
func (s *Server) current() Server {
	return *s // want "return copies lock value \\*s: Server contains sync.Mutex"
}

// An HTTP handler type with a value receiver.
type countHandler struct {
	mu sync.Mutex
	n  int
}

func (h countHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want "method ServeHTTP has a value receiver"
	h.mu.Lock()
	h.n++
	h.mu.Unlock()
}

// sync.Cond by value.
func signal(c sync.Cond) { // want "parameter c passes lock by value: sync.Cond"
	c.Signal()
}

// ---- look-alikes ----

// Pointers everywhere: fine.
func (c *Cache) Set(k, v string) {
	c.mu.Lock()
	c.items[k] = v
	c.mu.Unlock()
}

func workerOK(id int, wg *sync.WaitGroup) {
	defer wg.Done()
	_ = id
}

func flushAllOK(conns []*conn) {
	for _, c := range conns {
		c.mu.Lock()
		c.mu.Unlock()
	}
	for i := range conns {
		_ = i
	}
}

func flushByIndex(conns []conn) {
	for i := range conns {
		c := &conns[i]
		c.mu.Lock()
		c.mu.Unlock()
	}
	for i, _ := range conns {
		_ = i
	}
}

// Composite literals and constructor results are new values, not copies.
func NewServer() Server {
	return Server{state: 1}
}

func build() *Server {
	s := Server{}
	s2 := NewServer()
	s.mu = sync.Mutex{}
	_ = s2.state
	return &s
}

// A struct holding pointers to locks copies only the pointers.
type shared struct {
	mu *sync.Mutex
	wg *sync.WaitGroup
}

func useShared(s shared) shared {
	t := s
	return t
}

// Types without locks.
type point struct{ x, y int }

func (p point) add(q point) point {
	r := p
	r.x += q.x
	return r
}

// A zero-length array of mutexes holds no lock.
type marker struct {
	_ [0]sync.Mutex
	v int
}

func (m marker) value() int { return m.v }

// Unknown types: silent.
func unknown(x interface{ Lock() }) {
	y := x
	_ = y
}

// Blank assignment does not make a copy anyone can use.
func blank(s *Server) {
	_ = *s
}

// A function type mentioning a lock by value declares nothing.
type lockFunc func(sync.Mutex)

// Taking the address of a field is not a copy.
func addr(s *Server) *sync.Mutex {
	m := &s.mu
	return m
}
