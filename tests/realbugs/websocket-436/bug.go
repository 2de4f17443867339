// Upstream: https://github.com/coder/websocket/issues/436
// Project: coder/websocket (formerly nhooyr.io/websocket)
// Bug: newConn starts timeoutLoop, which on a read timeout records the
// close error through setCloseErr, under c.closeMu. CloseNow closes the
// connection and then returns c.closeErr without holding closeMu: the race
// detector reported the read in CloseNow against the write in
// setCloseErrLocked, reached from timeoutLoop.
// Kind: race
// Want: GD601
package websocket436

import (
	"context"
	"fmt"
	"net"
	"sync"
)

// Conn represents a WebSocket connection.
type Conn struct {
	closeMu  sync.Mutex
	closeErr error
	closed   chan struct{}

	readTimeout     chan context.Context
	timeoutLoopDone chan struct{}
}

func newConn() *Conn {
	c := &Conn{
		closed:          make(chan struct{}),
		readTimeout:     make(chan context.Context),
		timeoutLoopDone: make(chan struct{}),
	}
	go func() {
		defer close(c.timeoutLoopDone)
		c.timeoutLoop()
	}()
	return c
}

func (c *Conn) timeoutLoop() {
	readCtx := context.Background()
	for {
		select {
		case <-c.closed:
			return
		case readCtx = <-c.readTimeout:
		case <-readCtx.Done():
			c.setCloseErr(fmt.Errorf("read timed out: %w", readCtx.Err()))
			return
		}
	}
}

// setupReadTimeout hands the read's context to timeoutLoop.
func (c *Conn) setupReadTimeout(ctx context.Context) {
	select {
	case c.readTimeout <- ctx:
	case <-c.closed:
	}
}

func (c *Conn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

func (c *Conn) setCloseErr(err error) {
	c.closeMu.Lock()
	c.setCloseErrLocked(err)
	c.closeMu.Unlock()
}

func (c *Conn) setCloseErrLocked(err error) {
	if c.closeErr == nil && err != nil {
		c.closeErr = fmt.Errorf("WebSocket closed: %w", err)
	}
}

func (c *Conn) close(err error) {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.isClosed() {
		return
	}
	c.setCloseErrLocked(err)
	close(c.closed)
}

// CloseNow closes the WebSocket connection without attempting a close handshake.
func (c *Conn) CloseNow() error {
	if c.isClosed() {
		return net.ErrClosed
	}
	c.close(nil)
	return c.closeErr // BUG: read without closeMu; timeoutLoop writes it in setCloseErrLocked
}
