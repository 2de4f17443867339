package loop_var

// No go.mod above this directory: the pre-1.22 loop semantics apply.
// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"fmt"
	"sync"
)

type Pod struct{ Name string }

// A range variable used by goroutines (the classic Kubernetes/etcd shape:
// every goroutine ends up syncing the last pod).
func SyncAll(pods []Pod, sync func(Pod) error) {
	var wg sync.WaitGroup
	for _, pod := range pods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sync(pod); err != nil { // want "the goroutine uses loop variable pod, which all iterations share before Go 1.22 \\(no go.mod, vendor.mod or go.work found\\)"
				fmt.Println(err)
			}
		}()
	}
	wg.Wait()
}

// A for-clause counter.
func Spawn(n int, out chan<- int) {
	for i := 0; i < n; i++ {
		go func() {
			out <- i * i // want "loop variable i"
		}()
	}
}

// Both key and value, each reported once.
func Each(m map[string]int, f func(string, int)) {
	for k, v := range m {
		go func() {
			f(k, v) // want "loop variable k" "loop variable v"
			f(k, v)
		}()
	}
}

// ---- look-alikes that must stay silent ----

// Passed as an argument.
func SyncAllArg(pods []Pod, sync func(Pod) error) {
	for _, pod := range pods {
		go func(p Pod) {
			_ = sync(p)
		}(pod)
	}
}

// Copied in the loop body.
func SyncAllCopy(pods []Pod, sync func(Pod) error) {
	for _, pod := range pods {
		pod := pod
		go func() {
			_ = sync(pod)
		}()
	}
}

// A variable declared outside the loop is not per-iteration anyway.
func Counter(n int, out chan<- int) {
	total := 0
	for i := 0; i < n; i++ {
		total += i
	}
	go func() { out <- total }()
}

// A deferred literal runs after the loop: every one calls the last f.
func Defers(fs []func()) {
	for _, f := range fs {
		defer func() { f() }() // want "the deferred closure uses loop variable f.*sees only the variable's last value"
	}
}

// Not a := loop: the variables are declared outside.
func Outer(xs []int, out chan<- int) {
	var x int
	for _, x = range xs {
	}
	go func() { out <- x }()
}

// The iteration waits for the goroutine before the variable changes: the
// value is right, only low confidence.
func Pipe(chunks [][]byte, write func([]byte), read func() error) {
	for _, c := range chunks {
		go func() {
			write(c) // want "loop variable c.*\\[low confidence\\]"
		}()
		if err := read(); err != nil {
			return
		}
	}
}
