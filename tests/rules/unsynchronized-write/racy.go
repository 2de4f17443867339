package unsynchronized_write

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

type Node struct{ Name string }

// Kubernetes-style: a counter of failures incremented by every worker.
func CountFailures(nodes []Node, check func(Node) error) int {
	var wg sync.WaitGroup
	failed := 0
	for _, n := range nodes {
		wg.Add(1)
		go func(n Node) {
			defer wg.Done()
			if err := check(n); err != nil {
				failed++ // want "failed is written by every goroutine the loop starts at line 21, with no lock: the goroutines' writes race with each other"
			}
		}(n)
	}
	wg.Wait()
	return failed
}

// etcd-style: the error shared between the goroutine and the spawner, read
// on the timeout path while the goroutine may still be writing it.
func SyncWithTimeout(sync func() error, d time.Duration) error {
	var err error
	done := make(chan struct{})
	go func() {
		err = sync()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("timed out: %v", err) // want "err is written by the goroutine started at line 37 \\(line 38\\) and read here by the spawner after the spawn, with no lock or join in between: a data race$"
	}
}

// Docker-style: a flag the goroutine sets, polled by the spawner with no
// synchronisation.
func WaitStarted(start func()) bool {
	started := false
	go func() {
		start()
		started = true
	}()
	for i := 0; i < 10; i++ {
		if started { // want "started is written by the goroutine started at line 53 \\(line 55\\) and read here"
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// gRPC-style: the result written by the goroutine and returned before any
// join.
type Conn struct{ addr string }

func DialAsync(addr string, dial func(string) (*Conn, error)) (*Conn, error) {
	var conn *Conn
	var derr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		conn, derr = dial(addr)
	}()
	if conn == nil { // want "conn is written by the goroutine started at line 75 \\(line 77\\) and read here by the spawner"
		return nil, errors.New("not connected")
	}
	wg.Wait()
	return conn, derr
}

// CockroachDB-style: a field of a captured struct updated by the goroutine
// and read by the spawner.
type stats struct {
	rows  int
	bytes int
}

func Scan(batches [][]byte) stats {
	var s stats
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, b := range batches {
			s.rows++
			s.bytes += len(b)
		}
	}()
	fmt.Println("rows so far", s.rows) // want "s.rows is written by the goroutine started at line 97 \\(line 100\\) and read here"
	wg.Wait()
	return s
}

// A package-level counter incremented by goroutines started in a loop.
var requests int

func Serve(conns []int, handle func(int)) {
	for _, c := range conns {
		go func(c int) {
			requests++ // want "requests is written by every goroutine the loop starts at line 114"
			handle(c)
		}(c)
	}
}

// The spawner keeps writing what the goroutine reads: a stop flag.
func Poll(work func()) func() {
	stop := false
	go func() {
		for !stop {
			work()
		}
	}()
	return func() {}
}

func PollStop(work func()) {
	stop := false
	go func() {
		for !stop {
			work()
		}
	}()
	time.Sleep(time.Second)
	stop = true // want "stop is written here by the spawner after starting the goroutine at line 134, which reads it \\(line 135\\)"
}

// Two goroutines of one function write the same variable.
func FirstError(a, b func() error) error {
	var firstErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := a(); err != nil {
			firstErr = err
		}
	}()
	go func() {
		defer wg.Done()
		if err := b(); err != nil {
			firstErr = err // want "firstErr is written by the goroutine started at line 148 \\(line 151\\) and written here by the goroutine started at line 154"
		}
	}()
	wg.Wait()
	return firstErr
}

// The goroutine locks, the spawner reads without the lock.
func Progress(steps []func()) int {
	var mu sync.Mutex
	done := 0
	go func() {
		for _, s := range steps {
			s()
			mu.Lock()
			done++
			mu.Unlock()
		}
	}()
	time.Sleep(time.Second)
	return done // want "done is written by the goroutine started at line 168 \\(line 172\\) and read here"
}

// The goroutine writes only after receiving from the spawner: it may be
// synchronised with it, so low confidence.
func AfterReceive(in chan int) int {
	last := 0
	go func() {
		for v := range in {
			last = v
		}
	}()
	in <- 1
	return last // want "last is written by the goroutine started at line 184 \\(line 186\\) and read here .*\\[low confidence\\]"
}

// A context's Done is no join when the goroutine does not cancel it.
func Fetch(ctx context.Context, get func() (string, error)) (string, error) {
	var res string
	ch := make(chan error, 1)
	go func() {
		var err error
		res, err = get()
		ch <- err
	}()
	select {
	case err := <-ch:
		return res, err
	case <-ctx.Done():
		return res, ctx.Err() // want "res is written by the goroutine started at line 197 \\(line 199\\) and read here"
	}
}

// gRPC-style: a method started as a goroutine updates a field of its
// receiver that the spawner reads right after.
type balancer struct {
	mu    sync.Mutex
	state string
	picks int
}

func (b *balancer) refresh(resolve func() string) {
	b.state = resolve()
}

func (b *balancer) Start(resolve func() string) string {
	go b.refresh(resolve)
	return b.state // want "b.state is written by the goroutine started at line 223 \\(line 219\\) and read here"
}

// A counter incremented by a method every goroutine of the loop runs.
func (b *balancer) pick() {
	b.picks++ // want "b.picks is written by every goroutine the loop starts at line 234"
}

func (b *balancer) PickAll(n int) {
	for i := 0; i < n; i++ {
		go b.pick()
	}
}

// Docker-style: a background method closes the stream while the spawner's
// method reads the flag it sets.
type stream struct {
	closed bool
	buf    []byte
}

func (s *stream) closeAsync() { s.closed = true }

func (s *stream) isClosed() bool { return s.closed }

func (s *stream) Shutdown() bool {
	go s.closeAsync()
	return s.isClosed() // want "s.closed is written by the goroutine started at line 250 \\(line 245\\) and read here \\(inside isClosed\\) by the spawner"
}
