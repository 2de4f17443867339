package kernel

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain is the one README.md shows: a goroutine dump (debug=2) on stderr
// once the tests have run.
func TestMain(m *testing.M) {
	code := m.Run()
	pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
	os.Exit(code)
}

// parked waits until n goroutines blocked in fn are parked, so that the
// dump taken at the end has exact counts.
func parked(t *testing.T, fn string, n int) {
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		got := 0
		for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
			if !strings.Contains(g, "[running") && !strings.Contains(g, "[runnable") && strings.Contains(g, "\nkernel."+fn+"(") {
				got++
			}
		}
		if got >= n {
			return
		}
	}
	t.Fatalf("%s: goroutines did not park", fn)
}

func TestPut(t *testing.T) {
	q := NewQueue()
	for i := 0; i < 3; i++ {
		go q.Put(i)
	}
	parked(t, "(*Queue).Put", 3)
}

func TestPool(t *testing.T) {
	NewPool(4)
	parked(t, "(*Pool).work", 4)
}

func TestWait(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go WaitAll(&wg)
	go WaitAll(&wg)
	parked(t, "WaitAll", 2)
}

func TestLock(t *testing.T) {
	mu.Lock() // never unlocked
	go Locked()
	parked(t, "Locked", 1)
}

func TestSub(t *testing.T) {
	t.Run("first", func(t *testing.T) {
		go First(make(chan int), make(chan int))
		parked(t, "First", 1)
	})
}

func TestCond(t *testing.T) {
	ready := false
	go AwaitCond(sync.NewCond(&sync.Mutex{}), &ready)
	parked(t, "AwaitCond", 1)
}

func TestNap(t *testing.T) {
	go Nap()
	parked(t, "Nap", 1)
}
