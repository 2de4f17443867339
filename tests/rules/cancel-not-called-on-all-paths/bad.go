package paths

import (
	"context"
	"errors"
	"net"
	"time"
)

// Bad cases carry a want comment; look-alikes that must stay silent do not.

type KV interface {
	Get(ctx context.Context, key string) (string, error)
}

type Client struct {
	kv      KV
	timeout time.Duration
	dialer  net.Dialer
}

var errStopped = errors.New("stopped")

// The early error return between the call and the defer (a shape seen in
// dialers and API clients).
func (c *Client) Dial(ctx context.Context, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	if addr == "" {
		return nil, errors.New("empty address") // want "this return leaks the context from context.WithTimeout at line 27: cancel is not called on this path"
	}
	defer cancel()
	return c.dialer.DialContext(ctx, "tcp", addr)
}

// cancel() at the end, after an error check that returns (etcd client
// usage style).
func (c *Client) Get(key string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	v, err := c.kv.Get(ctx, key)
	if err != nil {
		return "", err // want "this return leaks the context from context.WithTimeout at line 38"
	}
	cancel()
	return v, nil
}

// cancel only in one branch of a switch.
func (c *Client) Watch(ctx context.Context, mode int, key string) error {
	ctx, cancel := context.WithCancel(ctx)
	switch mode {
	case 0:
		defer cancel()
		_, err := c.kv.Get(ctx, key)
		return err
	case 1:
		_, err := c.kv.Get(ctx, key)
		return err // want "leaks the context from context.WithCancel at line 49: cancel is not called"
	}
	return nil // want "leaks the context from context.WithCancel at line 49"
}

// A select that gives up without cancelling the work it started.
func (c *Client) First(parent context.Context, stop <-chan struct{}, keys []string) (string, error) {
	ctx, cancel := context.WithCancel(parent)
	res := make(chan string, len(keys))
	for _, k := range keys {
		go func(k string) {
			v, _ := c.kv.Get(ctx, k)
			res <- v
		}(k)
	}
	select {
	case <-stop:
		return "", errStopped // want "this return leaks the context from context.WithCancel at line 64"
	case v := <-res:
		cancel()
		return v, nil
	}
}

// A retry loop that returns on success before cancelling the attempt's
// context (retry loops in databases and controllers).
func (c *Client) Retry(ctx context.Context, key string) (string, error) {
	for i := 0; i < 3; i++ {
		actx, cancel := context.WithDeadline(ctx, time.Now().Add(c.timeout))
		v, err := c.kv.Get(actx, key)
		if err == nil {
			return v, nil // want "leaks the context from context.WithDeadline at line 85"
		}
		cancel()
	}
	return "", errors.New("too many retries")
}

// Declared first, assigned later: the error return still loses it.
func (c *Client) Lookup(ctx context.Context, key string, wait bool) (string, error) {
	var cancel context.CancelFunc
	if wait {
		ctx, cancel = context.WithTimeout(ctx, time.Minute)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	if key == "" {
		return "", errors.New("no key") // want "context.WithTimeout at line 99" "context.WithCancel at line 101"
	}
	defer cancel()
	return c.kv.Get(ctx, key)
}

// Cancelled only when the result is not needed; falling off the end keeps
// the context alive.
func (c *Client) Prefetch(ctx context.Context, key string, keep bool) {
	ctx, cancel := context.WithCancelCause(ctx) // want "cancel is not called on a path that reaches the end of the function"
	go c.kv.Get(ctx, key)
	if !keep {
		cancel(errStopped)
	}
}

// Waiting for the parent's Done does not cancel the child.
func (c *Client) waitParent(parent context.Context, res <-chan string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	go c.kv.Get(ctx, "k")
	select {
	case <-parent.Done():
		return "", parent.Err() // want "leaks the context from context.WithTimeout"
	case v := <-res:
		cancel()
		return v, nil
	}
}

// WithCancel of a never-cancelled parent: nothing registered, no timer;
// reported at low confidence only.
func (c *Client) proxy(cache map[*Client]string) string {
	ctx, cancel := context.WithCancel(context.WithValue(context.TODO(), "name", "proxy"))
	if v, ok := cache[c]; ok {
		return v // want "leaks the context from context.WithCancel.*\\[low confidence\\]"
	}
	go func() {
		defer cancel()
		c.kv.Get(ctx, "k")
	}()
	return ""
}

// The same through a local declared with context.Background() (rocketmq's
// NewTraceDispatcher): low confidence too.
type dispatcher struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newDispatcher(c *Client) *dispatcher {
	ctx := context.Background()
	ctx, cancel := context.WithCancel(ctx)
	if c == nil {
		return nil // want "leaks the context from context.WithCancel.*\\[low confidence\\]"
	}
	return &dispatcher{ctx: ctx, cancel: cancel}
}
