package wgdone

import (
	"context"
	"sync"
	"time"
)

type peer struct{ queue chan int }

func (p *peer) shutdown(ctx context.Context) error {
	close(p.queue)
	return ctx.Err()
}

// gubernator#36: a local group, Add(1) per goroutine, no Done anywhere.
func shutdownPeers(ctx context.Context, old []*peer) {
	wg := sync.WaitGroup{}
	for _, p := range old {
		wg.Add(1)
		go func(p *peer) {
			_ = p.shutdown(ctx)
		}(p)
	}
	wg.Wait() // want "wg.Wait blocks forever: the local WaitGroup wg is added to \\(line 20\\), but nothing ever calls Done on it$"
}

// The fixed twin.
func shutdownPeersFixed(ctx context.Context, old []*peer) {
	wg := sync.WaitGroup{}
	for _, p := range old {
		wg.Add(1)
		go func(p *peer) {
			defer wg.Done()
			_ = p.shutdown(ctx)
		}(p)
	}
	wg.Wait()
}

// Add(2) for two goroutines, neither says it is done.
func pair(a, b func()) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { a() }()
	go func() { b() }()
	wg.Wait() // want "wg.Wait blocks forever: the local WaitGroup wg is added to \\(line 44\\)"
}

// The group handed by pointer to a helper of the package that counts the
// goroutines it starts, and forgets Done.
func startAll(wg *sync.WaitGroup, jobs []func()) {
	for _, j := range jobs {
		wg.Add(1)
		go j()
	}
}

func runAll(jobs []func()) {
	wg := new(sync.WaitGroup)
	wg.Add(1)
	startAll(wg, jobs)
	wg.Wait() // want "wg.Wait blocks forever: the local WaitGroup wg is added to \\(line 61\\)"
}

// Add(1) and Wait with no goroutine counted in a loop: also how a main
// blocks forever on purpose. Low confidence.
func serveForever(serve func()) {
	go serve()
	var wg sync.WaitGroup
	wg.Add(1)
	wg.Wait() // want "wg.Wait blocks forever: the local WaitGroup wg is added to \\(line 71\\), but nothing ever calls Done on it \\[low confidence\\]"
}

// Look-alikes, all silent.

// WaitGroup.Go calls Done itself.
func withGo(jobs []func()) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		wg.Go(j)
	}
	wg.Wait()
}

// The group handed to a helper that calls Done.
func finish(wg *sync.WaitGroup, f func()) {
	defer wg.Done()
	f()
}

func withHelper(jobs []func()) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go finish(&wg, j)
	}
	wg.Wait()
}

// A func literal with the group as its parameter.
func withParam(jobs []func()) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(wg *sync.WaitGroup, j func()) {
			defer wg.Done()
			j()
		}(&wg, j)
	}
	wg.Wait()
}

// Done as a method value: unknown timing, not judged.
func withTimer(d time.Duration) {
	var wg sync.WaitGroup
	wg.Add(1)
	time.AfterFunc(d, wg.Done)
	wg.Wait()
}

// Handed to code we cannot follow.
var runner func(*sync.WaitGroup)

func withRunner() {
	var wg sync.WaitGroup
	wg.Add(1)
	runner(&wg)
	wg.Wait()
}

// Add of a variable (may be negative) and Add(-1).
func minus(wg *sync.WaitGroup) { wg.Add(-1) }

func withNegative(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go minus(&wg)
	wg.Wait()
	var wg2 sync.WaitGroup
	wg2.Add(n)
	wg2.Wait()
}

// Stored where others may Done it.
type holder struct{ wg *sync.WaitGroup }

func withStored(register func(holder)) {
	wg := &sync.WaitGroup{}
	wg.Add(1)
	register(holder{wg: wg})
	wg.Wait()
}

// A Done in a callee two calls down.
func doneDeep(wg *sync.WaitGroup)  { wg.Done() }
func doneOuter(wg *sync.WaitGroup) { doneDeep(wg) }

func withDeep() {
	var wg sync.WaitGroup
	wg.Add(1)
	go doneOuter(&wg)
	wg.Wait()
}

// A parameter is the caller's group: its Done may be the caller's.
func waitParam(wg *sync.WaitGroup) {
	wg.Add(1)
	wg.Wait()
}

// Wait with no Add.
func waitIdle() {
	var wg sync.WaitGroup
	wg.Wait()
}
