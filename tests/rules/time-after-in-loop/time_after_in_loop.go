package time_after_in_loop

import (
	"context"
	"errors"
	"log"
	"time"
)

// Bad cases carry a want comment; look-alikes that must stay silent do not.
// There is no go.mod above this directory: the version is unknown.

type Event struct{ Name string }

func handle(Event)       {}
func flush()             {}
func sendHeartbeat()     {}
func try() error         { return nil }
func process(int) error  { return nil }

// An event consumer with an idle timeout: every event abandons a pending
// one-minute timer.
func consume(events <-chan Event) {
	for {
		select {
		case e := <-events:
			handle(e)
		case <-time.After(time.Minute): // want "time.After\\(time.Minute\\) in a select inside a loop.*no go.mod, vendor.mod or go.work found, so assuming Go before 1.23: each timer lives until it fires"
			log.Println("idle")
			return
		}
	}
}

// A worker with a heartbeat: both cases go round again.
func worker(ctx context.Context, jobs <-chan int) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case j := <-jobs:
			if err := process(j); err != nil {
				return err
			}
		case <-time.After(30 * time.Second): // want "abandons a pending timer"
			sendHeartbeat()
		}
	}
}

// The timer channel held in a variable declared in the loop body.
func batcher(in <-chan int) {
	var batch []int
	for {
		flushAfter := time.After(100 * time.Millisecond) // want "time.After\\(100 \\* time.Millisecond\\) in a select"
		select {
		case v, ok := <-in:
			if !ok {
				return
			}
			batch = append(batch, v)
		case <-flushAfter:
			flush()
			batch = batch[:0]
		}
	}
}

// A default case: the timer is abandoned on every spin.
func poll(ready <-chan struct{}) {
	for i := 0; i < 1000; i++ {
		select {
		case <-ready:
			return
		case <-time.After(time.Second): // want "time.After"
			return
		default:
		}
	}
}

// `continue` in the other case goes round the loop again.
func skipper(in <-chan int) int {
	for {
		select {
		case v := <-in:
			if v < 0 {
				continue
			}
			return v
		case <-time.After(time.Hour): // want "time.After"
			return -1
		}
	}
}

// ---- silent look-alikes ----

// The timer is created once, outside the loop.
func consumeWithDeadline(events <-chan Event) {
	timeout := time.After(time.Minute)
	for {
		select {
		case e := <-events:
			handle(e)
		case <-timeout:
			return
		}
	}
}

// A retry loop: the only way round the loop is the timer firing.
func retry(ctx context.Context, backoff time.Duration) error {
	for i := 0; i < 5; i++ {
		if err := try(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return errors.New("giving up")
}

// Every case returns: the loop body runs once.
func receiveOne(ch <-chan int) (int, error) {
	for {
		select {
		case v := <-ch:
			return v, nil
		case <-time.After(time.Second):
			return 0, errors.New("timeout")
		}
	}
}

// The select is followed by a return: the loop runs once.
func once(ch <-chan int) {
	for {
		select {
		case v := <-ch:
			_ = process(v)
		case <-time.After(time.Second):
		}
		return
	}
}

// One timer, reset after each event.
func consumeReset(events <-chan Event) {
	idle := time.NewTimer(time.Minute)
	defer idle.Stop()
	for {
		select {
		case e := <-events:
			handle(e)
			if !idle.Stop() {
				<-idle.C
			}
			idle.Reset(time.Minute)
		case <-idle.C:
			return
		}
	}
}

// A plain receive waits until the timer fires: a sleep.
func pacer(n int) {
	for i := 0; i < n; i++ {
		flush()
		<-time.After(10 * time.Millisecond)
	}
}

// A labeled break leaves the loop.
func drain(in <-chan int, done <-chan struct{}) {
loop:
	for {
		select {
		case <-done:
			break loop
		case <-time.After(time.Second):
			flush()
		}
	}
}

// The other cases end in log.Fatal and panic.
func watchdog(errc <-chan error, stop <-chan struct{}) {
	for {
		select {
		case err := <-errc:
			log.Fatal(err)
		case <-stop:
			panic("stopped")
		case <-time.After(time.Second):
			sendHeartbeat()
		}
	}
}

// The timer belongs to the inner loop, created once per outer iteration
// and waited for by the inner loop.
func rounds(in <-chan int, n int) {
	for r := 0; r < n; r++ {
		deadline := time.After(time.Second)
		for {
			select {
			case v := <-in:
				_ = process(v)
				continue
			case <-deadline:
			}
			break
		}
	}
}

// The for clause's initializer runs once.
func initOnce(in <-chan int) {
	for deadline := time.After(time.Second); ; {
		select {
		case <-in:
		case <-deadline:
			return
		}
	}
}

// A goroutine per item waits on its own timer: not this rule.
func spawn(items []int, done <-chan struct{}) {
	for _, it := range items {
		go func(it int) {
			select {
			case <-done:
			case <-time.After(time.Second):
				_ = process(it)
			}
		}(it)
	}
}

// A select with only the timer case.
func tick(n int) {
	for i := 0; i < n; i++ {
		select {
		case <-time.After(time.Millisecond):
		}
		flush()
	}
}

// The other cases clear the channels the loop condition tests: the loop
// ends after at most a few rounds.
func closeBoth(c1, c2 <-chan struct{}) {
	for c1 != nil || c2 != nil {
		select {
		case <-c1:
			c1 = nil
		case <-c2:
			c2 = nil
		case <-time.After(time.Second):
			log.Println("still waiting")
		}
	}
}
