package waitgroup_add_count_mismatch

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"context"
	"sync"
)

// A third loader was removed but the constant was not updated: Wait hangs.
func loadConfig(loadFile, loadEnv func()) {
	var wg sync.WaitGroup
	wg.Add(3) // want "wg.Add\(3\) but only 2 goroutines calling wg.Done are started before wg.Wait"
	go func() {
		defer wg.Done()
		loadFile()
	}()
	go func() {
		defer wg.Done()
		loadEnv()
	}()
	wg.Wait()
}

// One of the two goroutines is started only when a flag is set
// (CockroachDB/etcd shape: an optional background task). Low confidence:
// only some paths disagree.
func startReplication(ctx context.Context, withSnapshots bool, stream, snap func(context.Context)) {
	var wg sync.WaitGroup
	wg.Add(2) // want "wg.Add\(2\) but on some path only 1 goroutine calling wg.Done is started"
	go func() {
		defer wg.Done()
		stream(ctx)
	}()
	if withSnapshots {
		go func() {
			defer wg.Done()
			snap(ctx)
		}()
	}
	wg.Wait()
}

// A goroutine was added without bumping the count: the counter goes
// negative.
func copyBoth(a, b, c func()) {
	var wg sync.WaitGroup
	wg.Add(2) // want "wg.Add\(2\) but 3 goroutines calling wg.Done are started before wg.Wait"
	go func() { defer wg.Done(); a() }()
	go func() { defer wg.Done(); b() }()
	go func() { defer wg.Done(); c() }()
	wg.Wait()
}

// A named constant, and goroutines that are same-package functions.
const numPumps = 3

func pump(wg *sync.WaitGroup, in <-chan int) {
	defer wg.Done()
	for range in {
	}
}

func runPumps(a, b <-chan int) {
	var wg sync.WaitGroup
	wg.Add(numPumps) // want "wg.Add\(3\) but only 2 goroutines"
	go pump(&wg, a)
	go pump(&wg, b)
	wg.Wait()
}

// Methods on a struct holding the group, and a waiter goroutine.
type proxy struct {
	wg   sync.WaitGroup
	done chan struct{}
}

func (p *proxy) copyIn()  { defer p.wg.Done() }
func (p *proxy) copyOut() { defer p.wg.Done() }

func (p *proxy) run(verbose bool) {
	p.wg.Add(2) // want "p.wg.Add\(2\) but on some path only 1 goroutine"
	go p.copyIn()
	if verbose {
		go p.copyOut()
	}
	go func() {
		p.wg.Wait()
		close(p.done)
	}()
}

// ---- silent look-alikes ----

// Counts match.
func matched(a, b func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a() }()
	go func() { defer wg.Done(); b() }()
	wg.Wait()
}

// The conditional goroutine has an else that does the Done.
func elseDone(x bool, a, b func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a() }()
	if x {
		go func() { defer wg.Done(); b() }()
	} else {
		wg.Done()
	}
	wg.Wait()
}

// Add(1) inside the loop for each goroutine: matches on every path.
func addInLoop(items []int, h func(int)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(it int) {
			defer wg.Done()
			h(it)
		}(it)
	}
	wg.Wait()
}

// Goroutines started in a loop: the count is unknown, stay silent.
func loopStarted(h func(int)) {
	var wg sync.WaitGroup
	wg.Add(4)
	for i := 0; i < 4; i++ {
		go func(i int) {
			defer wg.Done()
			h(i)
		}(i)
	}
	wg.Wait()
}

// The group is handed to a function we cannot see: unknown.
func handed(start func(*sync.WaitGroup)) {
	var wg sync.WaitGroup
	wg.Add(2)
	start(&wg)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Done through a hook closure, not a goroutine.
func hook(register func(func()), a func()) {
	var wg sync.WaitGroup
	register(func() { wg.Done() })
	wg.Add(2)
	go func() { defer wg.Done(); a() }()
	wg.Wait()
}

// An early return before the second goroutine: the local group is never
// waited on that path, so nothing hangs.
func earlyReturn(err error, a, b func()) error {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a() }()
	if err != nil {
		return err
	}
	go func() { defer wg.Done(); b() }()
	wg.Wait()
	return nil
}

// A goroutine that passes the group on (unknown number of Dones).
func nested(a func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		go func() { defer wg.Done(); a() }()
	}()
	wg.Wait()
}

// A goroutine whose Done is in a loop (it counts items, not itself).
func perItem(items chan int) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		for range items {
			wg.Done()
		}
	}()
	wg.Wait()
}

// Non-constant count.
func nonConst(xs []int) {
	var wg sync.WaitGroup
	wg.Add(len(xs))
	go func() { defer wg.Done() }()
	wg.Wait()
}

// The group escapes into a struct sent to a worker (gRPC server-worker
// shape): the worker's Done cannot be counted.
type work struct{ wg *sync.WaitGroup }

func serveStreams(workers chan *work, pooled bool, handle func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	if pooled {
		workers <- &work{wg: &wg}
	} else {
		go func() {
			defer wg.Done()
			handle()
		}()
	}
	wg.Wait()
}

// vitess' mysqlshell backup: two goroutines get the method value
// cmdWg.Done and call it when they end, the third gets the group: three
// Dones for Add(3).
func scanLines(name string, lines []string, done func()) {
	defer done()
	for range lines {
	}
}

func releaseLock(wg *sync.WaitGroup) {
	defer wg.Done()
}

func runShell(out, errs []string) {
	cmdWg := &sync.WaitGroup{}
	cmdWg.Add(3)
	go releaseLock(cmdWg)
	go scanLines("stdout", out, cmdWg.Done)
	go scanLines("stderr", errs, cmdWg.Done)
	cmdWg.Wait()
}

// The same with one scanner fewer: Wait hangs.
func runShellOneScanner(out []string) {
	cmdWg := &sync.WaitGroup{}
	cmdWg.Add(3) // want "cmdWg.Add\(3\) but only 2 goroutines calling cmdWg.Done are started before cmdWg.Wait"
	go releaseLock(cmdWg)
	go scanLines("stdout", out, cmdWg.Done)
	cmdWg.Wait()
}
