package waitgroup_add_after_go

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"context"
	"net"
	"sync"
)

// Docker-style: a log copier goroutine started, then counted.
func copyLogs(streams []func()) {
	var wg sync.WaitGroup
	for _, s := range streams {
		go func(copyFn func()) {
			defer wg.Done()
			copyFn()
		}(s)
		wg.Add(1) // want "wg.Add runs after the goroutine started on line 15, which calls wg.Done: if that Done runs first the counter goes negative.*$"
	}
	wg.Wait()
}

// Kubernetes-style: workers are same-package functions taking the group.
func worker(wg *sync.WaitGroup, ctx context.Context, id int) {
	defer wg.Done()
	<-ctx.Done()
	_ = id
}

func startWorkers(ctx context.Context, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go worker(&wg, ctx, i)
		wg.Add(1) // want "wg.Add runs after the goroutine started on line 34.*$"
	}
	wg.Wait()
}

// etcd-style: a server struct with a group field and methods as goroutines.
type server struct {
	wg   sync.WaitGroup
	stop chan struct{}
	ln   net.Listener
}

func (s *server) serve() {
	defer s.wg.Done()
	<-s.stop
}

func (s *server) purge() {
	defer s.wg.Done()
	<-s.stop
}

func (s *server) start() {
	go s.serve()
	s.wg.Add(1) // want "s.wg.Add runs after the goroutine started on line 58, .*$"
}

// Two goroutines started, then one Add(2) for both.
func (s *server) startBoth() {
	go s.serve()
	go s.purge()
	s.wg.Add(2) // want "s.wg.Add runs after the goroutine started on line 65"
	s.wg.Wait()
}

// The count added after the loop: every goroutine starts uncounted.
func resolveAll(names []string, resolve func(string)) {
	var wg sync.WaitGroup
	for _, n := range names {
		go func(n string) {
			defer wg.Done()
			resolve(n)
		}(n)
	}
	wg.Add(len(names)) // want "wg.Add runs after the goroutine started on line 74.*$"
	wg.Wait()
}

// Only when a flag is set is the goroutine started, before any Add: on
// every path that starts it, it is uncounted.
func sync2(withAudit bool, audit, main func()) {
	var wg sync.WaitGroup
	if withAudit {
		go func() {
			defer wg.Done()
			audit()
		}()
	}
	wg.Add(1) // want "wg.Add runs after the goroutine started on line 88.*$"
	go func() {
		defer wg.Done()
		main()
	}()
	wg.Wait()
}

// Inside a goroutine's own body: a nested spawner.
func fanOut(parts [][]int, sum func([]int)) {
	var outer sync.WaitGroup
	outer.Add(1)
	go func() {
		defer outer.Done()
		var inner sync.WaitGroup
		for _, p := range parts {
			go func(p []int) {
				defer inner.Done()
				sum(p)
			}(p)
			inner.Add(1) // want "inner.Add runs after the goroutine started on line 109"
		}
		inner.Wait()
	}()
	outer.Wait()
}

// Correlated branches: on one path the goroutine was counted first, on the
// other it was not (low confidence: paths are not told apart).
func correlated(early bool, f func()) {
	var wg sync.WaitGroup
	if early {
		wg.Add(1)
	}
	go func() {
		defer wg.Done()
		f()
	}()
	if !early {
		wg.Add(1) // want "wg.Add runs after the goroutine started on line 127.*\\[low confidence\\]"
	}
	wg.Wait()
}

// A group per request, the Add moved below the go statement in a
// refactoring (gRPC-style handler fan-out).
type stream struct{}

func (stream) Send(int) error { return nil }

func handle(reqs [][]int, st stream) {
	for _, r := range reqs {
		wg := &sync.WaitGroup{}
		for _, x := range r {
			go func(x int) {
				defer wg.Done()
				_ = st.Send(x)
			}(x)
			wg.Add(1) // want "wg.Add runs after the goroutine started on line 147.*$"
		}
		wg.Wait()
	}
}

// The goroutine is a method value on a struct that holds the group by
// pointer, started through the pointer field.
type manager struct {
	wg   *sync.WaitGroup
	quit chan struct{}
}

func (m *manager) watch() {
	defer m.wg.Done()
	<-m.quit
}

func (m *manager) Run() {
	go m.watch()
	m.wg.Add(1) // want "m.wg.Add runs after the goroutine started on line 170.*$"
	<-m.quit
	m.wg.Wait()
}

// A group from outside: the caller may have added for the first goroutine,
// and the Add may be for the one started after it (low confidence).
type sched struct{ wg sync.WaitGroup }

func (s *sched) loop()   { defer s.wg.Done() }
func (s *sched) reaper() { defer s.wg.Done() }

func (s *sched) startLocked() {
	go s.loop()
	s.wg.Add(1) // want "s.wg.Add runs after the goroutine started on line 184.*\\[low confidence\\]"
	go s.reaper()
}
