package defer_in_loop

// Issue 11: loops that set up resources meant to live until the function
// returns. Wrapping such a loop body in a func literal would close the
// resource too early, so none of these is reported.

import (
	"context"
	"net"
	"os"
	"sync"
	"time"
)

type client struct {
	conn net.Conn
	name string
}

// Appended: the connections are used after the loop.
func dialAll(addrs []string) ([]net.Conn, error) {
	var conns []net.Conn
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		conns = append(conns, c)
	}
	useConns(conns)
	return nil, nil
}

func useConns([]net.Conn) {}

// Stored in a map of the function.
func openByName(names []string) {
	files := map[string]*os.File{}
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		defer f.Close()
		files[n] = f
	}
	_ = files
}

// Stored in a field of an outer struct, through a type assertion.
type holder struct{ last *net.TCPConn }

func (h *holder) keepLast(addrs []string) {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		defer c.Close()
		h.last = c.(*net.TCPConn)
	}
}

// In a composite literal that is appended.
func clients(addrs []string) []client {
	var out []client
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		defer c.Close()
		out = append(out, client{conn: c, name: a})
	}
	serve(out)
	return nil
}

func serve([]client) {}

// Captured by a goroutine started in the loop.
func workersOn(addrs []string, wg *sync.WaitGroup) {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		defer c.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Write([]byte("x"))
		}()
	}
	wg.Wait()
}

// Sent on a channel.
func produce(names []string, out chan<- *os.File) {
	for _, n := range names {
		f, _ := os.Open(n)
		defer f.Close()
		out <- f
	}
}

// The loop may return the value: it is the result, the others are kept
// alive with it.
func firstGood(names []string) *os.File {
	for i, n := range names {
		f, _ := os.Open(n)
		if i == len(names)-1 {
			return f
		}
		defer f.Close()
		f.Sync()
	}
	return nil
}

// The loop only defers: one deferred call per element is the intent.
func removeAll(paths []string) {
	for _, p := range paths {
		defer os.Remove(p)
	}
}

// The deferred call releases elements of a collection that exists before
// the loop: they are released together, at return, on purpose.
func closeOld(old map[string]*os.File) {
	for name, f := range old {
		if f == nil {
			continue
		}
		defer f.Close()
		println(name)
	}
}

// Locks of every element taken in order and released together.
type shard struct {
	mu sync.Mutex
	n  int
}

func lockAll(shards []*shard) int {
	total := 0
	for _, s := range shards {
		s.mu.Lock()
		defer s.mu.Unlock()
		total += s.n
	}
	return total
}

// The same, through an index of the loop.
func lockAllIndexed(shards []shard) {
	for i := range shards {
		shards[i].mu.Lock()
		defer shards[i].mu.Unlock() // want "defer of shards\\[i\\].mu.Unlock inside a loop.*\\[low confidence\\]"
		shards[i].n++
	}
}

// ---- still reported ----

// A field of a per-iteration value is not a store that outlives the
// iteration: the temporary files pile up.
type job struct{ out *os.File }

func runJobs(names []string) {
	for _, n := range names {
		var j job
		f, _ := os.CreateTemp("", n)
		defer os.Remove(f.Name()) // want "defer of os.Remove inside a loop"
		j.out = f
		run(j)
	}
}

func run(job) {}

// A resource from a channel is new each iteration, even if ranged over.
func drain(conns <-chan net.Conn) {
	for c := range conns {
		defer c.Close() // want "defer of c.Close inside a loop"
		c.Write([]byte("bye"))
	}
}

// The same mutex every iteration: the second Lock deadlocks, even in a
// small loop.
var mu sync.Mutex

func twice() {
	for i := 0; i < 2; i++ {
		mu.Lock()
		defer mu.Unlock() // want "defer of mu.Unlock inside a loop: the lock taken in this iteration is released only when the function returns"
		println(i)
	}
}

// ---- low confidence ----

// Per-element mutexes reached through a variable of the loop, locked and
// held to the end: deliberate or harmless, low.
func lockEach(shards []*shard, pick func(*shard) *shard) {
	for _, s := range shards {
		t := pick(s)
		t.mu.Lock()
		defer t.mu.Unlock() // want "defer of t.mu.Unlock inside a loop.*\\[low confidence\\]"
		t.n++
	}
}

// A range over a small table held in a variable.
func probe() {
	probes := []string{"tcp4", "tcp6"}
	for _, p := range probes {
		l, err := net.Listen(p, "localhost:0")
		if err != nil {
			continue
		}
		defer l.Close() // want "defer of l.Close inside a loop.*\\[low confidence\\]"
		println(l.Addr().String())
	}
}

// A range over a package-level table.
var curves = []string{"p224", "p256", "p384"}

func generate() {
	for _, c := range curves {
		f, _ := os.Create(c + ".go")
		defer f.Close() // want "defer of f.Close inside a loop.*\\[low confidence\\]"
		f.WriteString(c)
	}
}

// A slice built by two appends outside any loop has at most two elements.
func roots(goroot string) {
	var rs []string
	if goroot != "" {
		rs = append(rs, goroot)
	}
	if wd, err := os.Getwd(); err == nil {
		rs = append(rs, wd)
	}
	for _, r := range rs {
		f, err := os.Open(r)
		if err != nil {
			continue
		}
		defer f.Close() // want "defer of f.Close inside a loop.*\\[low confidence\\]"
		f.Sync()
	}
}

// A retry count as one side of &&.
func retry(try func() error, open func() *os.File) {
	var err error
	for cnt := 0; err != nil && cnt < 3; cnt++ {
		f := open()
		defer f.Close() // want "defer of f.Close inside a loop.*\\[low confidence\\]"
		err = try()
	}
}

// A timeout context's cancel: the deadline releases the same, a little later.
func pollWithTimeout(ctx context.Context, poll func(context.Context) bool) {
	for {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want "defer of cancel inside a loop.*\\[low confidence\\]"
		if poll(pctx) {
			break
		}
	}
}

// A recover handler set up on purpose.
func tryAll(fs []func()) (err error) {
	for _, f := range fs {
		defer func() { // want "defer of func literal inside a loop.*\\[low confidence\\]"
			if r := recover(); r != nil {
				err = os.ErrInvalid
			}
		}()
		f()
	}
	return nil
}

// A deferred delete holds nothing.
func withFlag(m map[string]string, keys []string, use func(map[string]string)) {
	for _, k := range keys {
		key := "x-" + k
		m[key] = "1"
		defer delete(m, key) // want "defer of delete inside a loop.*\\[low confidence\\]"
		use(m)
	}
}

// `_ = f` keeps nothing.
func blank(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return
		}
		defer f.Close() // want "defer of f.Close inside a loop"
		_ = f
	}
}
