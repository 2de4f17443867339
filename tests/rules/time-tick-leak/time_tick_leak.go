package time_tick_leak

import (
	"context"
	"net/http"
	"time"
)

// Bad cases carry a want comment; look-alikes that must stay silent do not.
// There is no go.mod above this directory: the version is unknown.

type Server struct {
	healthy func() bool
	jobs    chan int
}

// Called for every request: each call leaks a ticker.
func (s *Server) waitHealthy(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.Tick(100 * time.Millisecond): // want "time.Tick inside a loop creates a new ticker on every iteration"
			if s.healthy() {
				return nil
			}
		}
	}
}

// A polling helper that returns.
func WaitFor(cond func() bool) {
	for range time.Tick(50 * time.Millisecond) { // want "time.Tick in a function that returns: its ticker can never be stopped; no go.mod, vendor.mod or go.work found, so assuming Go before 1.23"
		if cond() {
			return
		}
	}
}

// The channel kept in a local variable; the function returns.
func (s *Server) drain(ctx context.Context) int {
	tick := time.Tick(time.Second) // want "time.Tick in a function that returns"
	n := 0
	for {
		select {
		case <-ctx.Done():
			return n
		case j := <-s.jobs:
			n += j
		case <-tick:
		}
	}
}

// An HTTP handler: one leaked ticker per request.
func streamHandler(w http.ResponseWriter, r *http.Request) {
	for i := 0; i < 10; i++ {
		<-time.Tick(time.Second) // want "inside a loop"
		w.Write([]byte("."))
	}
}

// The channel leaves the function: whether it leaks depends on the reader.
func Every(d time.Duration) <-chan time.Time {
	return time.Tick(d) // want "time.Tick's channel leaves the function"
}

// The result is thrown away.
func warmUp() {
	time.Tick(time.Second) // want "time.Tick's result is discarded: its ticker can never be stopped"
}

// ---- silent look-alikes ----

// A non-positive duration makes no ticker: Tick returns nil.
func nilTick() bool {
	return time.Tick(-1) == nil
}

// A function that never returns: the ticker is needed forever.
func (s *Server) janitor() {
	for range time.Tick(time.Minute) {
		s.healthy()
	}
}

// Endless loop with a select: no return anywhere.
func (s *Server) heartbeat(out chan<- string) {
	tick := time.Tick(10 * time.Second)
	for {
		select {
		case <-tick:
			out <- "ping"
		case j := <-s.jobs:
			_ = j
		}
	}
}

// A goroutine started in a function that returns: the goroutine never does.
func (s *Server) Start() {
	go func() {
		for now := range time.Tick(time.Second) {
			_ = now
		}
	}()
}

// time.NewTicker with Stop.
func WaitForStopped(cond func() bool) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		if cond() {
			return
		}
	}
}

// A package-level ticker channel: one per program.
var globalTick = time.Tick(time.Hour)

// init runs once, in any package.
func init() {
	go func() {
		for range time.Tick(time.Minute) {
		}
	}()
}

type ticker struct{}

func (ticker) Tick(d time.Duration) <-chan time.Time { return nil }

// A local value named time, and a local function named Tick.
func shadow(cond func() bool) {
	time := ticker{}
	for range time.Tick(1) {
		if cond() {
			return
		}
	}
}

func Tick(d time.Duration) <-chan time.Time { return nil }

func localTick(cond func() bool) {
	for range Tick(time.Second) {
		if cond() {
			return
		}
	}
}

// An early return before the ticker exists: once it runs, it never returns.
func (s *Server) maybeRun() {
	if s.healthy == nil {
		return
	}
	for range time.Tick(time.Minute) {
		s.healthy()
	}
}
