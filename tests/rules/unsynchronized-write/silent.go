package unsynchronized_write

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Same lock at both places.
func LockedCounter(items []int) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := 0
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			n++
		}()
	}
	mu.Lock()
	_ = n
	mu.Unlock()
	wg.Wait()
	return n
}

// Atomics.
func AtomicCounter(items []int) int64 {
	var n int64
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&n, 1)
		}()
	}
	wg.Wait()
	return atomic.LoadInt64(&n)
}

// Typed atomics: method calls, no plain writes.
func AtomicTyped(items []int) int64 {
	var n atomic.Int64
	for range items {
		go func() { n.Add(1) }()
	}
	return n.Load()
}

// Values copied before the spawn.
func Copied(items []int) {
	total := 0
	for _, it := range items {
		total += it
		go func(total int) {
			total++
			_ = total
		}(total)
	}
}

// The result comes back on a channel.
func ViaChannel(get func() (int, error)) (int, error) {
	type result struct {
		v   int
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := get()
		ch <- result{v, err}
	}()
	r := <-ch
	return r.v, r.err
}

// The goroutine writes, then signals; the spawner receives first.
func SignalThenRead(get func() error) error {
	var err error
	done := make(chan struct{})
	go func() {
		err = get()
		close(done)
	}()
	<-done
	return err
}

// Accesses only after wg.Wait().
func AfterWait(parts []string, f func(string) int) []int {
	res := make([]int, len(parts))
	var wg sync.WaitGroup
	var failed bool
	for i, p := range parts {
		wg.Add(1)
		go func(i int, p string) {
			defer wg.Done()
			res[i] = f(p) // distinct elements: not a race
		}(i, p)
	}
	wg.Wait()
	if failed {
		return nil
	}
	return res
}

// A variable written only before the go statement.
func WrittenBefore(f func(int)) {
	limit := 10
	limit *= 2
	go func() {
		f(limit)
	}()
}

// errgroup: Wait is the join.
func Group(ctx context.Context, fetch func(context.Context) (string, error)) (string, error) {
	g, ctx := errgroup.WithContext(ctx)
	var a string
	g.Go(func() error {
		var err error
		a, err = fetch(ctx)
		return err
	})
	if err := g.Wait(); err != nil {
		return "", err
	}
	return a, nil
}

// A goroutine with its own variable per iteration.
func PerIteration(items []int, sink func(*int)) {
	for _, it := range items {
		local := it
		go func() {
			local++
			sink(&local)
		}()
		_ = it
	}
}

// sync.Once inside the goroutine: the write is in a nested literal.
func OnceInit(init func() int) {
	var once sync.Once
	v := 0
	for i := 0; i < 3; i++ {
		go func() {
			once.Do(func() { v = init() })
		}()
	}
}

// A WaitGroup passed to a helper that waits.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	c := make(chan struct{})
	go func() { wg.Wait(); close(c) }()
	select {
	case <-c:
		return true
	case <-time.After(d):
		return false
	}
}

func HelperWait(work func() int) int {
	var wg sync.WaitGroup
	n := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		n = work()
	}()
	waitTimeout(&wg, time.Second)
	return n
}

// Read under RLock, written under Lock.
func RWLocked(get func() string) string {
	var mu sync.RWMutex
	var wg sync.WaitGroup
	cur := ""
	wg.Add(1)
	go func() {
		defer wg.Done()
		v := get()
		mu.Lock()
		cur = v
		mu.Unlock()
	}()
	mu.RLock()
	s := cur
	mu.RUnlock()
	wg.Wait()
	return s
}

// The goroutine runs to completion before the spawner continues: an
// unbuffered handshake.
func Handshake(compute func() int) int {
	var v int
	ch := make(chan int)
	go func() {
		v = compute()
		ch <- 0
	}()
	for range ch {
		break
	}
	return v
}

// An atomic flag guards the plain value.
func Published(compute func() int) int {
	var ready int32
	var v int
	go func() {
		v = compute()
		atomic.StoreInt32(&ready, 1)
	}()
	for atomic.LoadInt32(&ready) == 0 {
		time.Sleep(time.Millisecond)
	}
	return v
}

// The goroutine's loop iteration variable is per iteration in its own scope.
func Shadowed(f func() error) error {
	err := f()
	go func() {
		err := f()
		_ = err
	}()
	return err
}

// The goroutine reads what the spawner wrote before the go statement.
func ReadOnly(cfg map[string]string, use func(string)) {
	name := cfg["name"]
	go func() { use(name) }()
	use(name)
}

// A method that locks its receiver, and a spawner that locks too.
type registry struct {
	mu    sync.Mutex
	names []string
}

func (r *registry) add(n string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, n)
}

func (r *registry) AddAll(ns []string) int {
	for _, n := range ns {
		go r.add(n)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.names)
}

// A value receiver works on a copy.
type point struct{ x, y int }

func (p point) move() { p.x++ }

func Moves(p point) int {
	for i := 0; i < 3; i++ {
		go p.move()
	}
	return p.x
}

// The spawner's method locks what the goroutine's method locks.
type gauge struct {
	mu  sync.Mutex
	val int
}

func (g *gauge) set(v int) {
	g.mu.Lock()
	g.val = v
	g.mu.Unlock()
}

func (g *gauge) get() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.val
}

func (g *gauge) Update(v int) int {
	go g.set(v)
	return g.get()
}
