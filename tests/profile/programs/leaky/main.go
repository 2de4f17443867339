// Command leaky leaks goroutines in known ways, with known counts, and
// serves net/http/pprof on 127.0.0.1 so that godark's tests can fetch its
// goroutine dumps in every format. Every leaking line carries a marker
// comment `LEAK:<name> count=<n>` and every line where normal goroutines
// wait carries `NORMAL:<name>`; the tests read the expectations from these
// markers. `predicted=GDxxx` on a LEAK marker says that godark check's
// static rule GDxxx reports this line too, so `goroutines --source` must
// say the leak was predicted by it (and must say so for no other leak).
// It prints "PORT <n>" once every goroutine has reached its blocking point,
// and exits by itself after -lifetime.
//
// Keep it buildable by Go 1.19 (Debian's golang-1.19-go): no range over
// int, no min/max builtins, no new iterator or synctest API.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	nSend    = 5
	nRecv    = 4
	nWG      = 3
	nMutex   = 6
	nNil     = 3
	nSelect  = 4
	nNoCases = 3
	nBoxInt  = 2
	nBoxStr  = 2
	nSleep   = 5
	nTicker  = 2
	nReaders = 3
	nAbandon = 3
)

var mu sync.Mutex // held by main for the whole run

type Box[T any] struct{ ch chan T }

//go:noinline
func (b *Box[T]) Put(v T) {
	b.ch <- v // LEAK:generic count=4
}

// sendTo is small enough to be inlined into leakSend: the dumps show it as
// an inlined frame.
func sendTo(ch chan int, v int) {
	ch <- v // LEAK:send count=5
}

func leakSend(v int) {
	ch := make(chan int) // unbuffered, nobody receives
	sendTo(ch, v)
}

func leakRecv() {
	ch := make(chan string)
	<-ch // LEAK:recv count=4
}

func leakWaitGroup() {
	var wg sync.WaitGroup
	wg.Add(1)
	wg.Wait() // LEAK:waitgroup count=3
}

func leakMutex() {
	mu.Lock() // LEAK:mutex count=6 reachable
	mu.Unlock()
}

func leakNilChan() {
	var ch chan int
	ch <- 1 // LEAK:nilchan count=3 predicted=GD203
}

func leakSelect(a, b chan int) {
	for {
		select { // LEAK:select count=4 predicted=GD105
		case <-a:
		case <-b:
		}
	}
}

func leakNoCases() {
	select {} // LEAK:nocases count=3
}

// fetchWithTimeout hands its result back on an unbuffered channel and gives
// up when the timeout fires first: the sender is abandoned, blocked in its
// send for good. godark check's GD103 abandoned-sender finds this one in the
// source, so `goroutines --source` says the leak was predicted.
func fetchWithTimeout(get func() int, d time.Duration) (int, bool) {
	ch := make(chan int)
	go func() {
		ch <- get() // LEAK:abandon count=3 predicted=GD103
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(d):
		return 0, false
	}
}

func slowGet() int {
	time.Sleep(20 * time.Millisecond)
	return 1
}

// growLeak is started on demand by /grow?n=N: the leak that grows over time.
func growLeak() {
	ch := make(chan struct{})
	ch <- struct{}{} // LEAK:grow count=0
}

func sleeper() {
	for {
		time.Sleep(time.Hour) // NORMAL:sleep
	}
}

func tick(t *time.Ticker) {
	for range t.C { // NORMAL:ticker
	}
}

// echo servers and readers on loopback: goroutines in IO wait in user code.
func reader(c net.Conn) {
	buf := make([]byte, 16)
	for {
		if _, err := c.Read(buf); err != nil { // NORMAL:read
			return
		}
	}
}

// leakFuncs are the first main.* frames of the leaking goroutines, with
// how many of each settle() waits for.
var leakFuncs = map[string]int{
	"main.sendTo": nSend, "main.leakRecv": nRecv, "main.leakWaitGroup": nWG,
	"main.leakMutex": nMutex, "main.leakNilChan": nNil, "main.leakSelect": nSelect,
	"main.leakNoCases": nNoCases, "main.(*Box[...]).Put": nBoxInt + nBoxStr,
	"main.sleeper": nSleep, "main.tick": nTicker, "main.reader": nReaders,
	"main.fetchWithTimeout.func1": nAbandon,
}

// clients stay referenced for the whole run: a collected net.Conn would be
// closed by its finalizer and its reader would end.
var clients []net.Conn

var grown int
var growMu sync.Mutex

// settle waits until every expected goroutine is parked at its line, so a
// dump taken afterwards has exact counts.
func settle(want map[string]int) error {
	deadline := time.Now().Add(20 * time.Second)
	buf := make([]byte, 8<<20)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		got := map[string]int{}
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			lines := strings.Split(g, "\n")
			if len(lines) < 2 || strings.Contains(lines[0], "[running") || strings.Contains(lines[0], "[runnable") {
				continue
			}
			for _, l := range lines[1:] {
				if strings.HasPrefix(l, "main.") {
					if i := strings.LastIndex(l, "("); i > 0 {
						got[l[:i]]++
					}
					break
				}
			}
		}
		var missing []string
		for k, v := range want {
			if got[k] < v {
				missing = append(missing, fmt.Sprintf("%s %d/%d", k, got[k], v))
			}
		}
		if len(missing) == 0 {
			return nil
		}
		if time.Now().Add(20 * time.Millisecond).After(deadline) {
			return fmt.Errorf("goroutines did not settle: %s", strings.Join(missing, ", "))
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("goroutines did not settle")
}

func main() {
	lifetime := flag.Duration("lifetime", 60*time.Second, "exit after this long")
	flag.Parse()
	time.AfterFunc(*lifetime, func() { os.Exit(0) })

	mu.Lock()
	for i := 0; i < nSend; i++ {
		go leakSend(i)
	}
	pprof.Do(context.Background(), pprof.Labels("leak", "recv"), func(context.Context) {
		for i := 0; i < nRecv; i++ {
			go leakRecv()
		}
	})
	for i := 0; i < nWG; i++ {
		go leakWaitGroup()
	}
	for i := 0; i < nMutex; i++ {
		go leakMutex()
	}
	for i := 0; i < nNil; i++ {
		go leakNilChan()
	}
	for i := 0; i < nSelect; i++ {
		go leakSelect(make(chan int), make(chan int))
	}
	for i := 0; i < nNoCases; i++ {
		go leakNoCases()
	}
	for i := 0; i < nBoxInt; i++ {
		go (&Box[int]{ch: make(chan int)}).Put(i)
	}
	for i := 0; i < nBoxStr; i++ {
		go (&Box[string]{ch: make(chan string)}).Put("x")
	}
	for i := 0; i < nAbandon; i++ {
		if _, ok := fetchWithTimeout(slowGet, time.Millisecond); ok {
			fmt.Fprintln(os.Stderr, "fetchWithTimeout did not time out")
			os.Exit(1)
		}
	}
	for i := 0; i < nSleep; i++ {
		go sleeper()
	}
	for i := 0; i < nTicker; i++ {
		go tick(time.NewTicker(time.Hour))
	}
	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go reader(c)
		}
	}()
	for i := 0; i < nReaders; i++ {
		c, err := net.Dial("tcp", echo.Addr().String())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		clients = append(clients, c)
	}

	http.HandleFunc("/grow", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		growMu.Lock()
		defer growMu.Unlock()
		for i := 0; i < n; i++ {
			go growLeak()
		}
		grown += n
		if err := settle(map[string]int{"main.growLeak": grown}); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "grown %d\n", grown)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := settle(leakFuncs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("PORT %d\n", ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	_ = http.Serve(ln, nil)
}
