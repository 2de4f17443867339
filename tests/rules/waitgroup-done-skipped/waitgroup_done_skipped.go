package waitgroup_done_skipped

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
)

// The classic: an error check in a fan-out goroutine returns before the
// trailing Done, so Wait never returns once one fetch fails.
func fetchAll(urls []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if err := fetch(u); err != nil {
				return // want "wg.Done \(line 24\) is skipped when this return is taken"
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// etcd-style watcher: the cancelled-context case returns without Done.
type watcher struct {
	wg     sync.WaitGroup
	events chan string
}

func (w *watcher) start(ctx context.Context, handle func(string)) {
	w.wg.Add(1)
	go func() {
		select {
		case <-ctx.Done():
			return // want "w.wg.Done \(line 45\) is skipped"
		case ev := <-w.events:
			handle(ev)
		}
		w.wg.Done()
	}()
}

func (w *watcher) stop() { w.wg.Wait() }

// A server's accept loop started as a method goroutine: the Accept error
// path returns without Done, so Shutdown hangs (Docker/Moby shape).
type server struct {
	wg sync.WaitGroup
	ln net.Listener
}

func (s *server) Start() {
	s.wg.Add(1)
	go s.acceptLoop()
}

func (s *server) acceptLoop() {
	conn, err := s.ln.Accept()
	if err != nil {
		return // want "s.wg.Done \(line 69\) is skipped"
	}
	conn.Close()
	s.wg.Done()
}

func (s *server) Shutdown() { s.wg.Wait() }

// A worker function started with `go worker(&wg, ...)`: the group is the
// callee's parameter, mapped back to the spawner's &wg.
func worker(wg *sync.WaitGroup, jobs []string, run func(string) error) {
	for _, j := range jobs {
		if err := run(j); err != nil {
			return // want "wg.Done \(line 82\) is skipped"
		}
	}
	wg.Done()
}

func runWorkers(batches [][]string, run func(string) error) {
	var wg sync.WaitGroup
	for _, b := range batches {
		wg.Add(1)
		go worker(&wg, b, run)
	}
	wg.Wait()
}

// Done only on success: falling off the end of the body skips it.
func conditionalDone(items []int, ok func(int) bool) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(it int) {
			if ok(it) {
				wg.Done()
			}
		}(it) // want "wg.Done \(line 101\) is skipped when the goroutine ends here"
	}
	wg.Wait()
}

// A switch with an early return in one case (Kubernetes controller shape).
func syncAll(keys []string, kind func(string) int) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(keys))
	wg.Add(len(keys))
	for _, k := range keys {
		go func(k string) {
			switch kind(k) {
			case 0:
				errs <- errors.New("unknown kind")
				return // want "wg.Done \(line 121\) is skipped"
			case 1:
			}
			wg.Done()
		}(k)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// The group passed to the literal as a parameter: still the spawner's.
func viaParam(n int, step func(int) bool) {
	wg := &sync.WaitGroup{}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(wg *sync.WaitGroup, i int) {
			if !step(i) {
				return // want "wg.Done \(line 138\) is skipped"
			}
			wg.Done()
		}(wg, i)
	}
	wg.Wait()
}

// The spawner's Add is not visible here (the group comes from the caller):
// reported at low confidence.
func spawnFor(wg *sync.WaitGroup, f func() error) {
	go func() {
		if f() != nil {
			return // want "wg.Done \(line 151\) is skipped"
		}
		wg.Done()
	}()
}

// ---- silent look-alikes ----

// Deferred Done runs on every path.
func deferred(urls []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			if err := fetch(u); err != nil {
				return
			}
		}(u)
	}
	wg.Wait()
}

// Done before every return.
func doneOnEveryPath(urls []string, fetch func(string) error) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if err := fetch(u); err != nil {
				wg.Done()
				return
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// A helper that calls Done, deferred.
type pool struct{ wg sync.WaitGroup }

func (p *pool) finish() { p.wg.Done() }

func (p *pool) run(jobs []func() error) {
	for _, j := range jobs {
		p.wg.Add(1)
		go func(j func() error) {
			defer p.finish()
			if j() != nil {
				return
			}
			p.wg.Done()
		}(j)
	}
	p.wg.Wait()
}

// A helper that calls Done on the early path.
func (p *pool) runHelper(jobs []func() error) {
	for _, j := range jobs {
		p.wg.Add(1)
		go func(j func() error) {
			if j() != nil {
				p.finish()
				return
			}
			p.wg.Done()
		}(j)
	}
	p.wg.Wait()
}

// Paths that die anyway: panic, os.Exit, t.Fatal in a goroutine.
func dies(n int, check func(int) error) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			if err := check(i); err != nil {
				panic(err)
			}
			if i < 0 {
				os.Exit(2)
			}
			wg.Done()
		}(i)
	}
	wg.Wait()
}

func TestWorkers(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if t == nil {
			t.Fatal("no t")
		}
		wg.Done()
	}()
	wg.Wait()
}

// Done per item in a loop: the group counts items, not the goroutine.
func consumer(wg *sync.WaitGroup, items chan int, handle func(int) error) {
	go func() {
		for it := range items {
			if handle(it) != nil {
				return
			}
			wg.Done()
		}
	}()
}

// A group declared inside the goroutine is its own.
func ownGroup(f func()) {
	go func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
		if f == nil {
			return
		}
		wg.Done()
		wg.Wait()
	}()
}

// Done in a deferred closure.
func deferredClosure(n int, step func(int) error) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer func() {
				wg.Done()
			}()
			if step(i) != nil {
				return
			}
		}(i)
	}
	wg.Wait()
}

// Done handed to another goroutine on the early path.
func handOff(n int, async func(func())) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if n > 0 {
			async(wg.Done)
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// A method that is not started by go (called synchronously; no goroutine).
func (s *server) syncStep(ok bool) {
	if !ok {
		return
	}
	s.wg.Done()
}

// The group passed by value is a copy (GD401's business, not this rule's).
func byValue(wg sync.WaitGroup, f func() bool) {
	go func(wg sync.WaitGroup) {
		if f() {
			return
		}
		wg.Done()
	}(wg)
}

// A local closure that calls Done, called on the early path.
func closureDone(n int, step func() error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		finish := func() { wg.Done() }
		if step() != nil {
			finish()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// A latch: one Add for a loop of goroutines, one of which signals
// (logrus hooks test shape). Not a per-goroutine count.
func latch(n, pick int, work func()) {
	var first, all sync.WaitGroup
	first.Add(1)
	all.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			work()
			all.Done()
			if i == pick {
				first.Done()
			}
		}(i)
	}
	first.Wait()
	all.Wait()
}

// The group escapes into a struct handed to a worker on one path (gRPC
// server-worker shape): the worker may call Done.
type job struct{ wg *sync.WaitGroup }

func dispatch(workers chan *job, busy bool, handle func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if busy {
			workers <- &job{wg: &wg}
			return
		}
		handle()
		wg.Done()
	}()
	wg.Wait()
}
