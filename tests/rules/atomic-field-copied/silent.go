package shapes

import (
	"sync"
	"sync/atomic"
)

// The fixed twin of Stats(): field by field, with atomic loads. A
// composite literal is a new value, not a copy.
func (s *Server) StatsFixed() Stats {
	return Stats{
		Requests: atomic.LoadInt64(&s.stats.Requests),
		Errors:   atomic.LoadUint32(&s.stats.Errors),
	}
}

// Pointers are not copies.
func (s *Server) StatsPtr() *Stats { return &s.stats }

func (s *Server) conn(i int) *conn { return &s.conns[i] }

func (s *Server) ConnIDs() []int {
	var ids []int
	for i := range s.conns {
		ids = append(ids, s.conns[i].id)
	}
	return ids
}

// A constructor copies before anything is shared.
func NewServer(name string) *Server {
	s := &Server{name: name}
	tmp := *s
	_ = tmp
	return s
}

func newServer() *Server { return &Server{} }

func Probe() *Server {
	s := newServer()
	variant := *s // built by a constructor of the package, not yet shared
	variant.name = "probe"
	return s
}

// A local value: its own memory, and no goroutine uses it.
func localCopy() Stats {
	var st Stats
	st.Requests = 1
	cp := st
	return cp
}

// A local whose field goroutines update atomically, read after Wait.
func joined() Stats {
	var st Stats
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&st.Requests, 1)
		}()
	}
	wg.Wait()
	out := st
	return out
}

// Only atomic loads: a copy races with nothing atomic (plain writes are
// GD603's).
type loadOnly struct{ state uint32 }

func (l *loadOnly) ready() bool { return atomic.LoadUint32(&l.state) == 1 }

func (l *loadOnly) clone() loadOnly { return *l }

// Atomic use only in init.
type boot struct{ n int64 }

var booted boot

func init() { atomic.AddInt64(&booted.n, 1) }

func Booted() boot { return booted }

// Typed atomics: vet's copylocks reports their copies.
type typed struct {
	hits atomic.Int64
	raw  int64
}

func (t *typed) inc() { t.hits.Add(1); atomic.AddInt64(&t.raw, 1) }

func (t *typed) snap() typed { return *t }

// A struct that also holds a mutex: GD401 reports its copies.
type locked struct {
	mu sync.Mutex
	n  int64
}

func (l *locked) inc() { atomic.AddInt64(&l.n, 1) }

// A map of values: map elements are not addressable, so nothing updates
// them atomically in place.
func (s *Server) byName(m map[string]conn) conn { return m["a"] }

// len of an array of values is no copy.
type ring struct{ slots [4]conn }

func (r *ring) size() int { return len(r.slots) }

// The same field name in another type that is never used atomically.
type otherStats struct {
	Requests int64
}

func (o *otherStats) copyOf() otherStats { return *o }
