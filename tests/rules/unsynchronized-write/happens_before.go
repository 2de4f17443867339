package unsynchronized_write

import "sync"

// A server shared through objects made from it: the spawner's blocking
// query (on a client of the server) returns only after the goroutine's
// change (to the server's store) happened, so the write after it is
// probably ordered (consul's blocking-query tests). Low, not high.
type store struct {
	mu   sync.Mutex
	rows map[string]int
}

func (s *store) Delete(idx int, k string) {
	s.mu.Lock()
	delete(s.rows, k)
	s.mu.Unlock()
}

type testServer struct{ st *store }

func (s *testServer) State() *store { return s.st }

type client struct{ srv *testServer }

func newClient(s *testServer) *client { return &client{s} }

func (c *client) BlockingQuery(minIndex int) int { return minIndex + 1 }

func blockingQueryWakes(srv *testServer) int {
	codec := newClient(srv)
	state := srv.State()
	index := 1
	go func() {
		state.Delete(index+1, "bar")
	}()
	out := codec.BlockingQuery(index)
	index = out // want "index is written here by the spawner after starting the goroutine at line 34, which reads it.*\\[low confidence\\]"
	return index
}

// The same with a client made from another server: no common object, so
// nothing orders the write after the goroutine's read.
func blockingQueryElsewhere(srv, other *testServer) int {
	codec := newClient(other)
	state := srv.State()
	index := 1
	go func() {
		state.Delete(index+1, "bar")
	}()
	out := codec.BlockingQuery(index)
	index = out // want "index is written here by the spawner after starting the goroutine at line 48, which reads it.*data race$"
	return index
}

// go x.m() evaluates x when the go statement runs: assigning x a new
// worker afterwards does not touch the running one (containerd-stress).
type worker struct {
	id int
	wg *sync.WaitGroup
}

func (w *worker) run() {
	defer w.wg.Done()
	_ = w.id
}

func startWorkers(n int) {
	var wg sync.WaitGroup
	var w *worker
	for i := 0; i < n; i++ {
		wg.Add(1)
		w = &worker{id: i, wg: &wg}
		go w.run()
	}
	wg.Wait()
}

// A write behind a gate the goroutines share (client-go's throttled
// logger admits one caller per second): probably one writer, so low.
type throttle struct {
	mu   sync.Mutex
	last int
}

func (t *throttle) attempt(now int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now == t.last {
		return false
	}
	t.last = now
	return true
}

var gate throttle

func countAdmitted(n int) int {
	admitted := 0
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if gate.attempt(1) {
				admitted++ // want "admitted is written by every goroutine the loop starts at line 103, with no lock.*\\[low confidence\\]"
			}
		}()
	}
	wg.Wait()
	return admitted
}

// An ungated write by every goroutine stays high.
func countAll(n int) int {
	all := 0
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			all++ // want "all is written by every goroutine the loop starts at line 120, with no lock: the goroutines' writes race"
		}()
	}
	wg.Wait()
	return all
}
