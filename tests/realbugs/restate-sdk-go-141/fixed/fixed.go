// Upstream: https://github.com/restatedev/sdk-go/issues/141
// Project: restatedev/sdk-go
// Fix: not copied from the upstream patch (not read); the repair the issue
// calls for: the read loop is tied to the invocation's lifetime, so its send
// also selects on a done channel closed when run() returns.
package fixed

import "io"

type readResult struct {
	buf []byte
	err error
}

type ctx struct {
	conn     io.Reader
	readChan chan readResult
	done     chan struct{}
}

func invoke(conn io.Reader, handler func(*ctx) bool) {
	c := &ctx{conn: conn, readChan: make(chan readResult), done: make(chan struct{})}
	go c.readInputLoop()
	defer close(c.done)
	c.run(handler)
}

func (c *ctx) readInputLoop() {
	for {
		buf := make([]byte, 1024)
		n, err := c.conn.Read(buf)
		select {
		case c.readChan <- readResult{buf: buf[:n], err: err}:
		case <-c.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (c *ctx) run(handler func(*ctx) bool) {
	for {
		r := <-c.readChan
		if r.err != nil {
			return
		}
		if done := handler(c); done {
			return
		}
	}
}
