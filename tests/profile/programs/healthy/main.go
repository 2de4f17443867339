// Command healthy is a small service at rest: a fixed pool of workers
// started by a constant loop, a pool of consumers started once per name,
// ticker loops, sleepers and idle keep-alive HTTP connections on 127.0.0.1,
// beside two real leaks. It settles, writes its goroutine dump (debug=2) to
// stdout and exits. With --source, `godark goroutines` must report only the
// leaks (`LEAK:<name> count=<n>`), the predicted one (predicted=GDxxx) at
// high confidence, and keep the healthy shapes (`NORMAL:<name>`) quiet.
// Keep it buildable by Go 1.19.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

const nWorkers = 4

type Pool struct{ jobs chan func() }

func (p *Pool) work() {
	for j := range p.jobs { // NORMAL:pool
		j()
	}
}

type Bus struct{ events chan string }

func (b *Bus) consume(name string) {
	for e := range b.events { // NORMAL:consumers
		_ = name + e
	}
}

func tick(done chan struct{}) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select { // NORMAL:ticker
		case <-t.C:
		case <-done:
			return
		}
	}
}

func sleeper() {
	time.Sleep(time.Hour) // NORMAL:sleep
}

// lookup gives up after d and abandons the sender: godark check's GD103
// predicts it, so the dump's suspect is raised to high confidence.
func lookup(get func() int, d time.Duration) (int, bool) {
	ch := make(chan int)
	go func() {
		ch <- get() // LEAK:abandon count=5 predicted=GD103
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(d):
		return 0, false
	}
}

const nStuck = 3

// stuck senders started by a constant loop are no pool: they wait to give,
// not to take.
func stuck(out chan int) {
	out <- 1 // LEAK:stuck count=3
}

func settle(want map[string]int) error {
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		got := map[string]int{}
		for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
			if strings.Contains(g, "[running") || strings.Contains(g, "[runnable") {
				continue
			}
			for _, l := range strings.Split(g, "\n")[1:] {
				if strings.HasPrefix(l, "main.") {
					got[l[:strings.LastIndex(l, "(")]]++
					break
				}
			}
		}
		ok := true
		for k, v := range want {
			ok = ok && got[k] >= v
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("goroutines did not settle")
}

func main() {
	time.AfterFunc(60*time.Second, func() { os.Exit(3) })
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < nWorkers; i++ {
		go p.work()
	}
	b := &Bus{events: make(chan string)}
	for _, name := range []string{"audit", "metrics", "mail"} {
		go b.consume(name)
	}
	done := make(chan struct{})
	for i := 0; i < 3; i++ {
		go tick(done)
	}
	for i := 0; i < 3; i++ {
		go sleeper()
	}
	for i := 0; i < 5; i++ {
		lookup(func() int { time.Sleep(20 * time.Millisecond); return 1 }, time.Millisecond)
	}
	out := make(chan int)
	for i := 0; i < nStuck; i++ {
		go stuck(out)
	}
	// idle keep-alive connections: server conn.serve and client persistConn loops
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	for i := 0; i < 2; i++ {
		resp, err := client.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	err = settle(map[string]int{"main.(*Pool).work": nWorkers, "main.(*Bus).consume": 3, "main.tick": 3,
		"main.sleeper": 3, "main.lookup.func1": 5, "main.stuck": nStuck})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	time.Sleep(50 * time.Millisecond) // the HTTP connections' goroutines park too
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}
