package missing_unlock

// Issue 14: GD402 without a return. A break or goto that leaves a loop
// holding the lock, with no release between it and the function's end,
// and a function that falls off its closing brace holding the lock, while
// other paths release it. Then the fixed twins and the look-alikes, silent.

import (
	"sync"
	"time"
)

type Queue struct {
	mu    sync.Mutex
	items []int
	sum   int
	ready bool
	wake  chan struct{}
}

// A bad item ends the loop with the lock held; nothing after the loop
// releases it.
func (q *Queue) Add(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x < 0 {
			break // want "q.mu \\(locked at line 25\\) is still held when this break leaves the loop, and no path from there to the function's end releases it"
		}
		q.items = append(q.items, x)
		q.mu.Unlock()
	}
}

// The same through a return after the loop.
func (q *Queue) AddAll(xs []int) int {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			break // want "q.mu .* still held when this break leaves the loop"
		}
		q.sum += x
		q.mu.Unlock()
	}
	return len(xs)
}

// A labelled break out of two loops.
func (q *Queue) Scan(rows [][]int) {
outer:
	for _, row := range rows {
		for _, x := range row {
			q.mu.Lock()
			if x < 0 {
				break outer // want "q.mu .* still held when this break leaves the loop"
			}
			q.sum += x
			q.mu.Unlock()
		}
	}
	q.ready = true
}

// A goto out of the loop.
func (q *Queue) Sweep(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x < 0 {
			goto done // want "q.mu .* still held when this goto leaves the loop"
		}
		q.sum -= x
		q.mu.Unlock()
	}
done:
	q.ready = false
}

// Falls off the end holding the lock: the early return releases it, the
// end of the body does not.
func (q *Queue) Reset(keep bool) {
	q.mu.Lock()
	if keep {
		q.mu.Unlock()
		return
	}
	q.items = nil
	q.sum = 0 // want "q.mu \\(locked at line 80\\) is still held when the function ends after this statement \\(it falls off its closing brace at line 87\\)"
}

// ---- the fixed twins ----

func (q *Queue) AddFixed(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x < 0 {
			q.mu.Unlock()
			break
		}
		q.items = append(q.items, x)
		q.mu.Unlock()
	}
}

func (q *Queue) ResetFixed(keep bool) {
	q.mu.Lock()
	if keep {
		q.mu.Unlock()
		return
	}
	q.items = nil
	q.mu.Unlock()
}

// ---- look-alikes that must stay silent ----

// The loop breaks holding the lock and the lock is released after it.
func (q *Queue) Take() int {
	var x int
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			break
		}
		q.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	x, q.items = q.items[0], q.items[1:]
	q.mu.Unlock()
	return x
}

// The same with a loop that unlocks at the end of each iteration.
func (q *Queue) Drain() {
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			break
		}
		q.items = q.items[1:]
		q.mu.Unlock()
	}
	q.mu.Unlock()
}

// A wait loop whose every exit holds the lock: returning locked is what it
// is for (no path releases it on the way out).
func (q *Queue) waitReady() {
	for {
		q.mu.Lock()
		if q.ready {
			break
		}
		q.mu.Unlock()
		<-q.wake
	}
}

// Locking by a parameter: the break and the end hold it only when lock is
// true, and so does the Unlock.
func (q *Queue) Fill(xs []int, lock bool) {
	for _, x := range xs {
		if lock {
			q.mu.Lock()
		}
		if x < 0 {
			if lock {
				q.mu.Unlock()
			}
			break
		}
		q.sum += x
		if lock {
			q.mu.Unlock()
		}
	}
}

// The name says it returns holding the lock.
func (q *Queue) popLocked(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			break
		}
		q.mu.Unlock()
	}
}

// prepare returns with q.mu held unless the queue is empty; the caller must
// unlock it.
func (q *Queue) prepare() {
	q.mu.Lock()
	if len(q.items) == 0 {
		q.mu.Unlock()
		return
	}
	q.sum = 0
}

// Released in a same-package callee at the end.
func (q *Queue) unlockAndNotify() {
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *Queue) Push(x int) {
	for {
		q.mu.Lock()
		if len(q.items) < 10 {
			break
		}
		q.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	q.items = append(q.items, x)
	q.unlockAndNotify()
}

func (q *Queue) Put(x int) {
	q.mu.Lock()
	if x < 0 {
		q.mu.Unlock()
		return
	}
	q.items = append(q.items, x)
	q.unlockAndNotify()
}

// Unlock bound to a func value.
func (q *Queue) Once(xs []int) {
	q.mu.Lock()
	unlock := sync.OnceFunc(q.mu.Unlock)
	defer unlock()
	for _, x := range xs {
		if x < 0 {
			unlock()
			return
		}
		q.sum += x
	}
}

func (q *Queue) Once2(xs []int) {
	q.mu.Lock()
	defer sync.OnceFunc(q.mu.Unlock)()
	for _, x := range xs {
		if x < 0 {
			break
		}
		q.sum += x
	}
}

// A break out of a select only leaves the select.
func (q *Queue) Poll(stop chan struct{}) {
	for i := 0; i < 10; i++ {
		q.mu.Lock()
		select {
		case <-stop:
			break
		default:
			q.sum++
		}
		q.mu.Unlock()
	}
}

// A break out of a switch inside the loop, released after the switch.
func (q *Queue) Classify(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		switch {
		case x < 0:
			break
		default:
			q.sum += x
		}
		q.mu.Unlock()
	}
}

// The lock handed to a goroutine that releases it.
func (q *Queue) flushAndUnlock() {
	q.items = nil
	q.mu.Unlock()
}

func (q *Queue) Flush(now bool) {
	q.mu.Lock()
	if !now {
		q.mu.Unlock()
		return
	}
	q.sum = 0
	go q.flushAndUnlock()
}

// A deferred release covers the break.
func (q *Queue) Deferred(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x < 0 {
			defer q.mu.Unlock()
			break
		}
		q.mu.Unlock()
	}
}
