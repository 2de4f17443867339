package waitgroup_wait_in_counted_goroutine

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import "sync"

// A worker "waits for the others" on the group that counts it: its own
// deferred Done is pending, so Wait never returns.
func runAll(tasks []func()) {
	var wg sync.WaitGroup
	for _, task := range tasks {
		wg.Add(1)
		go func(task func()) {
			defer wg.Done()
			task()
			wg.Wait() // want "wg.Wait in a goroutine that wg counts: its own deferred wg.Done \(line 14\)"
		}(task)
	}
	wg.Wait()
}

// A cleanup goroutine that is counted by mistake (Docker/Moby shape: the
// closer waits for all stream copiers, but was Added as one of them).
type attach struct {
	wg      sync.WaitGroup
	streams []func()
	done    chan struct{}
}

func (a *attach) start() {
	for _, s := range a.streams {
		a.wg.Add(1)
		go func(s func()) {
			defer a.wg.Done()
			s()
		}(s)
	}
	a.wg.Add(1)
	go a.closer()
}

func (a *attach) closer() {
	defer a.wg.Done()
	a.wg.Wait() // want "a.wg.Wait in a goroutine that a.wg counts"
	close(a.done)
}

// A direct Done after the Wait on every path.
func directAfter(wg *sync.WaitGroup, collect func()) {
	go func() {
		wg.Wait() // want "wg.Wait in a goroutine that wg counts: its own wg.Done \(line 53\)"
		collect()
		wg.Done()
	}()
}

// A Done after the Wait on one path only: low confidence.
func somePaths(wg *sync.WaitGroup, leader bool, collect func()) {
	go func() {
		wg.Wait() // want "wg.Wait in a goroutine that wg counts"
		if leader {
			collect()
			return
		}
		wg.Done()
	}()
}

// ---- silent look-alikes ----

// The barrier idiom: Done first, then wait for the others.
func barrier(n int, phase1, phase2 func(int)) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			phase1(i)
			wg.Done()
			wg.Wait()
			phase2(i)
		}(i)
	}
	wg.Wait()
}

// A waiter goroutine that is not counted (it never calls Done).
func closer(wg *sync.WaitGroup, done chan struct{}) {
	go func() {
		wg.Wait()
		close(done)
	}()
}

// Waiting on a different group than the one that counts us.
func twoGroups(outer *sync.WaitGroup, work func(*sync.WaitGroup)) {
	go func() {
		defer outer.Done()
		var inner sync.WaitGroup
		inner.Add(1)
		go work(&inner)
		inner.Wait()
	}()
}

// The leader waits, the others are counted: different paths.
func leaderOnly(wg *sync.WaitGroup, leader bool) {
	go func() {
		if leader {
			wg.Wait()
			return
		}
		wg.Done()
	}()
}

// Done per item in a loop: the group counts items, not this goroutine.
func perItem(wg *sync.WaitGroup, items chan int) {
	go func() {
		for range items {
			wg.Done()
		}
		wg.Wait()
	}()
}

// A group declared inside the goroutine is its own.
func ownGroup(work func()) {
	go func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
		wg.Wait()
	}()
}

// A local type named WaitGroup.
type WaitGroup struct{}

func (WaitGroup) Done() {}
func (WaitGroup) Wait() {}

func localType(wg *WaitGroup) {
	go func() {
		defer wg.Done()
		wg.Wait()
	}()
}
