// Upstream: https://github.com/restatedev/sdk-go/issues/141
// Project: restatedev/sdk-go
// Bug: invoke starts a per-invocation readInputLoop that pushes every read
// into the unbuffered readChan. When the invocation completes or suspends,
// nobody reads readChan any more, and the loop parks on the send forever
// (305 goroutines in "chan send" at io_helpers.go:66 in the report).
// Kind: leak
// Want: GD109
package restatesdkgo141

import "io"

type readResult struct {
	buf []byte
	err error
}

type ctx struct {
	conn     io.Reader
	readChan chan readResult
}

func invoke(conn io.Reader, handler func(*ctx) bool) {
	c := &ctx{conn: conn, readChan: make(chan readResult)}
	go c.readInputLoop()
	c.run(handler)
}

func (c *ctx) readInputLoop() {
	for {
		buf := make([]byte, 1024)
		n, err := c.conn.Read(buf)
		c.readChan <- readResult{buf: buf[:n], err: err} // BUG: orphaned once run() has returned
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
			return // completed or suspended: readChan is abandoned
		}
	}
}
