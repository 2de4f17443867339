package loops

import (
	"context"
	"errors"
	"log"
	"runtime"
	"sync"
	"time"
)

// Look-alikes that must stay silent.

// Ticker loop with a done case.
type poller struct {
	stop chan struct{}
	poll func()
}

func (p *poller) Start() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.poll()
			}
		}
	}()
}

// ctx.Done case.
func watch(ctx context.Context, in <-chan Event, h func(Event)) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-in:
				h(ev)
			}
		}
	}()
}

// Range over a channel that its owner closes.
func drain(in <-chan Event, h func(Event)) {
	go func() {
		for ev := range in {
			h(ev)
		}
	}()
}

// A worker pool of fixed size over a channel.
func pool(jobs <-chan int, do func(int)) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				do(j)
			}
		}()
	}
	wg.Wait()
}

// A break on error.
func readAll(read func() ([]byte, error), out chan<- []byte) {
	go func() {
		defer close(out)
		for {
			b, err := read()
			if err != nil {
				break
			}
			out <- b
		}
	}()
}

// A labelled break out of the select.
func labelled(ctx context.Context, in <-chan int, h func(int)) {
	go func() {
	loop:
		for {
			select {
			case v := <-in:
				h(v)
			case <-ctx.Done():
				break loop
			}
		}
	}()
}

// A closed channel ends the loop through the ok flag.
func okFlag(in <-chan int, h func(int)) {
	go func() {
		for {
			select {
			case v, ok := <-in:
				if !ok {
					return
				}
				h(v)
			}
		}
	}()
}

// A loop condition the owner flips.
type flagLoop struct {
	mu      sync.Mutex
	stopped bool
	step    func()
}

func (s *flagLoop) isStopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped
}

func (s *flagLoop) Start() {
	go func() {
		for !s.isStopped() {
			s.step()
		}
	}()
}

// Panics and Goexit are ways out; so is log.Fatal.
func mustLoop(step func() error) {
	go func() {
		for {
			if err := step(); err != nil {
				panic(err)
			}
		}
	}()
	go func() {
		for {
			if err := step(); err != nil {
				runtime.Goexit()
			}
		}
	}()
	go func() {
		for {
			if err := step(); err != nil {
				log.Fatal(err)
			}
		}
	}()
}

// Documented to run for the lifetime of the process.
type metrics struct{ flush func() }

func NewMetrics(flush func()) *metrics {
	m := &metrics{flush: flush}
	go m.flushLoop()
	return m
}

// flushLoop runs forever: metrics are flushed until the process exits.
func (m *metrics) flushLoop() {
	for {
		time.Sleep(10 * time.Second)
		m.flush()
	}
}

// Started from init.
var sweeper = &metrics{flush: func() {}}

func init() {
	go sweeper.flushLoopUndocumented()
}

func (m *metrics) flushLoopUndocumented() {
	for {
		time.Sleep(10 * time.Second)
		m.flush()
	}
}

// Started once through sync.Once, or from an unexported function only
// called from init.
var startOnce sync.Once

func ensureReaper(reap func()) {
	startOnce.Do(func() {
		go func() {
			for {
				time.Sleep(time.Minute)
				reap()
			}
		}()
	})
}

func startGC(gc func()) {
	go func() {
		for {
			time.Sleep(time.Minute)
			gc()
		}
	}()
}

func init() { startGC(func() {}) }

// A server loop run synchronously, not in a goroutine.
func serveForever(accept func() error) {
	for {
		_ = accept()
	}
}

// goto out of the loop.
func withGoto(step func() bool) {
	go func() {
		for {
			if step() {
				goto done
			}
		}
	done:
	}()
}

// A return in an inner loop leaves the outer one too.
func nestedReturn(next func() (int, error), h func(int)) {
	go func() {
		for {
			for i := 0; i < 3; i++ {
				v, err := next()
				if errors.Is(err, context.Canceled) {
					return
				}
				h(v)
			}
		}
	}()
}

// A func literal with an endless loop that is not a goroutine.
func callback(register func(func())) {
	register(func() {
		for {
			time.Sleep(time.Second)
		}
	})
}

// An endless loop in a goroutine that is started from a goroutine in init.
func init() {
	go func() {
		go func() {
			for {
				time.Sleep(time.Hour)
			}
		}()
	}()
}

// A comment at the spawn says the goroutine is meant to live forever.
func startStats(report func()) {
	// The stats reporter runs in the background for the life of the process.
	go func() {
		for {
			time.Sleep(time.Minute)
			report()
		}
	}()
}

// sync.OnceFunc starts it once.
func pingerStarter(ping func()) func() {
	return sync.OnceFunc(func() {
		go func() {
			for {
				time.Sleep(time.Second)
				ping()
			}
		}()
	})
}
