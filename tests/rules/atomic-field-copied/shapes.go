package shapes

import (
	"fmt"
	"sync/atomic"
)

// A server whose counters are bumped atomically by its connection
// goroutines and copied whole by a stats getter.
type Stats struct {
	Requests int64
	Errors   uint32
}

type Server struct {
	name  string
	stats Stats
	conns []conn
}

type conn struct {
	bytes int64
	id    int
}

func (s *Server) Serve(n int) {
	for i := 0; i < n; i++ {
		go s.handle(i)
	}
}

func (s *Server) handle(i int) {
	atomic.AddInt64(&s.stats.Requests, 1)
	atomic.AddInt64(&s.conns[i].bytes, 512)
	if i < 0 {
		atomic.AddUint32(&s.stats.Errors, 1)
	}
}

// Stats returns the counters: the copy reads them while handlers add.
func (s *Server) Stats() Stats {
	return s.stats // want "return copies s.stats \\(Stats\\) by value, and with it field Requests, which is updated with atomic.AddInt64 \\(shapes.go:33\\): the copy reads it non-atomically, racing with the atomic writes \\(and may see a torn value on 32-bit platforms\\)"
}

// Snapshot copies the whole server.
func (s *Server) Snapshot() Server {
	snap := *s // want "declaration of snap copies \\*s \\(Server\\) by value, and with it field Requests"
	return snap
}

func (s *Server) Log() {
	fmt.Println(s.stats) // want "argument copies s.stats"
}

func (s *Server) Conns() []int64 {
	var out []int64
	for _, c := range s.conns { // want "range variable c copies s.conns \\(conn\\) by value, and with it field bytes"
		out = append(out, c.bytes)
	}
	return out
}

func (s *Server) First() conn {
	return s.conns[0] // want "return copies s.conns\\[0\\] \\(conn\\) by value, and with it field bytes"
}

type report struct {
	st Stats
}

func (s *Server) Report() *report {
	return &report{st: s.stats} // want "composite literal copies s.stats"
}

func (s *Server) Publish(ch chan<- Stats) {
	ch <- s.stats // want "send copies s.stats"
}

func (st Stats) String() string { return fmt.Sprint(st.Requests) }

func (s *Server) Describe() string {
	return s.stats.String() // want "call of value-receiver method String copies s.stats"
}

// A package variable updated by goroutines, copied by a reader.
type counters struct {
	hits, misses uint64
}

var global counters

func Hit() { atomic.AddUint64(&global.hits, 1) }

func Read() counters {
	c := global // want "declaration of c copies global \\(counters\\) by value, and with it field hits"
	return c
}

// A local that the goroutines it starts update atomically, copied before
// they are joined.
func racing() Stats {
	var st Stats
	for i := 0; i < 4; i++ {
		go func() { atomic.AddInt64(&st.Requests, 1) }()
	}
	out := st // want "declaration of out copies st \\(Stats\\) by value, and with it field Requests"
	return out
}

// Updated atomically only in an unexported method no goroutine of the
// package is seen to run: low.
type quiet struct{ n int64 }

func (q *quiet) bump() { atomic.AddInt64(&q.n, 1) }

func (q *quiet) copyOf() quiet {
	return *q // want "return copies \\*q \\(quiet\\).*\\[low confidence\\]"
}
