// Command watched is the service `godark watch` is tested against: it
// serves net/http/pprof on 127.0.0.1 and, while it runs, leaks goroutines
// at exactly one line (LEAK:watch), a few per second, beside goroutines
// whose number holds steady or rises and falls with load:
//
//   - a fixed pool of workers ranging over a jobs channel (NORMAL:pool),
//     fed now and then;
//   - idle keep-alive HTTP connections: a client that keeps a few
//     connections to a second server open between requests;
//   - a burst of short-lived goroutines per tick, each waiting a random
//     while (NORMAL:burst): rises and falls, never grows.
//
// It prints "PORT <n>" when it serves, and exits by itself after -lifetime.
// Keep it buildable by Go 1.19.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sync"
	"time"
)

var leaked []chan int // referenced: the leak is of goroutines, not channels

func leak(ch chan int) {
	<-ch // LEAK:watch
}

func worker(jobs <-chan int, wg *sync.WaitGroup) {
	for j := range jobs { // NORMAL:pool
		_ = j * j
		wg.Done()
	}
}

func burst(d time.Duration, quit <-chan struct{}) {
	select { // NORMAL:burst
	case <-time.After(d):
	case <-quit:
	}
}

func main() {
	lifetime := flag.Duration("lifetime", 60*time.Second, "exit after this long")
	every := flag.Duration("every", 200*time.Millisecond, "leak one goroutine this often")
	flag.Parse()
	time.AfterFunc(*lifetime, func() { os.Exit(0) })

	// the pool
	jobs := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		go worker(jobs, &wg)
	}

	// a second server and a client keeping 3 idle keep-alive connections
	backend, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go http.Serve(backend, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 3, IdleConnTimeout: time.Hour}}
	get := func() {
		resp, err := client.Get("http://" + backend.Addr().String() + "/")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	var cw sync.WaitGroup
	for i := 0; i < 3; i++ {
		cw.Add(1)
		go func() { defer cw.Done(); get() }()
	}
	cw.Wait()

	quit := make(chan struct{})
	rng := rand.New(rand.NewSource(1))
	go func() {
		t := time.NewTicker(*every)
		for n := 0; ; n++ {
			<-t.C
			ch := make(chan int)
			leaked = append(leaked, ch)
			go leak(ch)
			for k := 0; k < 2; k++ {
				go burst(time.Duration(rng.Intn(1000))*time.Millisecond, quit)
			}
			if n%5 == 0 {
				wg.Add(2)
				jobs <- n
				jobs <- n + 1
				wg.Wait()
				get() // reuses an idle connection
			}
		}
	}()

	// let the burst reach its steady level (2 per tick, each living up to
	// a second) before anyone watches: its ramp from zero at start-up is
	// no growth, but on a slow machine a short watch could read it so
	time.Sleep(1500 * time.Millisecond)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("PORT %d\n", ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	_ = http.Serve(ln, nil)
}
