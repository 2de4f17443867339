package ticker_not_stopped

import (
	"context"
	"log"
	"time"
)

// Bad cases carry a want comment; look-alikes that must stay silent do not.
// There is no go.mod above this directory: the version is unknown.

type Client struct {
	ping   func() error
	ticker *time.Ticker
	tick   map[string]*time.Ticker
	all    []*time.Ticker
}

// A retry helper: returns without stopping its ticker.
func (c *Client) WaitReady(ctx context.Context) error {
	t := time.NewTicker(200 * time.Millisecond) // want "ticker t is never stopped and does not leave the function; no go.mod, vendor.mod or go.work found, so assuming Go before 1.23: an unstopped ticker is never garbage collected"
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if c.ping() == nil {
				return nil
			}
		}
	}
}

// Reset is used, Stop never.
func (c *Client) Backoff(ctx context.Context, n int) {
	d := 10 * time.Millisecond
	ticker := time.NewTicker(d) // want "ticker ticker is never stopped"
	for i := 0; i < n; i++ {
		<-ticker.C
		d *= 2
		ticker.Reset(d)
	}
}

// A goroutine that reads the ticker and returns on cancellation.
func (c *Client) Watch(ctx context.Context) {
	t := time.NewTicker(time.Second) // want "ticker t is never stopped"
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c.ping()
			}
		}
	}()
}

// Only the channel is kept.
func (c *Client) Count(n int) {
	ch := time.NewTicker(time.Millisecond).C // want "only the channel of this ticker is kept"
	for i := 0; i < n; i++ {
		<-ch
	}
}

// Discarded.
func Discard() {
	time.NewTicker(time.Second) // want "discarded and can never be stopped"
}

// A new ticker per iteration, even in a function that never returns.
func (c *Client) loop(events <-chan string) {
	for e := range events {
		t := time.NewTicker(time.Second) // want "every iteration leaks one"
		<-t.C
		log.Println(e)
	}
}

// ---- silent look-alikes ----

func (c *Client) Deferred(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Stopped in the goroutine that uses it.
func (c *Client) WatchStopped(ctx context.Context) {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c.ping()
			}
		}
	}()
}

// Returned to the caller, who owns it.
func NewPoller(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

func NewPollerDirect(d time.Duration) *time.Ticker {
	return time.NewTicker(d)
}

// Stored in a field, a map and a slice.
func (c *Client) Start(d time.Duration) {
	t := time.NewTicker(d)
	c.ticker = t
	c.tick["a"] = time.NewTicker(d)
	u := time.NewTicker(d)
	c.all = append(c.all, u)
}

func (c *Client) StartField(d time.Duration) {
	c.ticker = time.NewTicker(d)
}

// Passed to a function, sent on a channel.
func handOff(d time.Duration, own func(*time.Ticker), out chan<- *time.Ticker) {
	t := time.NewTicker(d)
	own(t)
	u := time.NewTicker(d)
	out <- u
}

// Stopped on one branch only: counts as stopped for this syntax-level rule.
func maybeStop(d time.Duration, quick bool) {
	t := time.NewTicker(d)
	<-t.C
	if quick {
		t.Stop()
		return
	}
	<-t.C
}

// A function that never returns needs its ticker forever.
func (c *Client) run() {
	t := time.NewTicker(time.Minute)
	for range t.C {
		c.ping()
	}
}

// An endless goroutine uses it.
func (c *Client) Background() {
	t := time.NewTicker(time.Minute)
	go func() {
		for range t.C {
			c.ping()
		}
	}()
}

// A named result is returned by the bare return.
func named(d time.Duration) (t *time.Ticker) {
	t = time.NewTicker(d)
	return
}

// NewTimer is not in scope: a fired timer is done.
func timer(d time.Duration) {
	t := time.NewTimer(d)
	<-t.C
}

type fakeClock struct{}

func (fakeClock) NewTicker(time.Duration) *time.Ticker { return nil }

// A local value named time.
func shadow() {
	time := fakeClock{}
	t := time.NewTicker(1)
	<-t.C
}

// The Stop method value is handed out.
func stopFunc(d time.Duration) func() {
	t := time.NewTicker(d)
	<-t.C
	return t.Stop
}

// Declared first, assigned later.
func declaredFirst(n int) {
	var t *time.Ticker
	t = time.NewTicker(time.Second) // want "ticker t is never stopped"
	for i := 0; i < n; i++ {
		<-t.C
	}
}

// NewTicker panics for a negative duration: no ticker is made.
func negative() {
	defer func() { recover() }()
	time.NewTicker(-1)
}

// An early return before the ticker exists: once made, the loop never ends.
func (c *Client) loopEarly() {
	if c.ping == nil {
		return
	}
	t := time.NewTicker(time.Minute)
	for range t.C {
		c.ping()
	}
}

func (c *Client) reader(ch <-chan time.Time) {
	for range ch {
		c.ping()
	}
}

// The channel is handed to another goroutine, which reads it forever.
func (c *Client) handChannel() {
	t := time.NewTicker(time.Second)
	go c.reader(t.C)
}
