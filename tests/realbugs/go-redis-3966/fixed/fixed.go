// Upstream: https://github.com/redis/go-redis/pull/3966
// Project: redis/go-redis (internal/pool/conn.go, redis.go)
// Fix: the close hook is an atomic.Pointer[func() error]: SetOnClose
// stores a pointer to the func (nil to clear), and Close takes it with
// Swap(nil) and calls it, so the setter and Close no longer race and the
// hook runs at most once even under a double Close (PR 3966; the same
// treatment went to the client-side-caching hook onCscClose, left out here).
package fixed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
)

type ConnState uint32

const (
	StateCreated ConnState = iota
	StateInitializing
	StateIdle
	StateClosed
)

// ConnStateMachine is the lock-free state of a pool connection.
type ConnStateMachine struct{ state atomic.Uint32 }

func (sm *ConnStateMachine) GetState() ConnState { return ConnState(sm.state.Load()) }

func (sm *ConnStateMachine) Transition(to ConnState) { sm.state.Store(uint32(to)) }

func (sm *ConnStateMachine) TryTransition(from, to ConnState) bool {
	return sm.state.CompareAndSwap(uint32(from), uint32(to))
}

type netConnHolder struct{ conn net.Conn }

type Conn struct {
	id            uint64
	netConnAtomic atomic.Value // *netConnHolder
	stateMachine  *ConnStateMachine

	// Connection initialization function for reconnections
	initConnFunc func(context.Context, *Conn) error

	onClose atomic.Pointer[func() error]
}

var connIDs atomic.Uint64

func NewConn(netConn net.Conn) *Conn {
	cn := &Conn{id: connIDs.Add(1), stateMachine: &ConnStateMachine{}}
	cn.SetNetConn(netConn)
	return cn
}

func (cn *Conn) GetID() uint64 { return cn.id }

func (cn *Conn) GetStateMachine() *ConnStateMachine { return cn.stateMachine }

func (cn *Conn) SetNetConn(netConn net.Conn) { cn.netConnAtomic.Store(&netConnHolder{netConn}) }

func (cn *Conn) getNetConn() net.Conn {
	if h, ok := cn.netConnAtomic.Load().(*netConnHolder); ok {
		return h.conn
	}
	return nil
}

// SetOnClose sets the close hook, overwriting any previous one.
func (cn *Conn) SetOnClose(fn func() error) {
	if fn == nil {
		cn.onClose.Store(nil)
		return
	}
	cn.onClose.Store(&fn)
}

// SetInitConnFunc sets the connection initialization function to be called on reconnections.
func (cn *Conn) SetInitConnFunc(fn func(context.Context, *Conn) error) {
	cn.initConnFunc = fn
}

func (cn *Conn) ExecuteInitConn(ctx context.Context) error {
	if cn.initConnFunc != nil {
		return cn.initConnFunc(ctx, cn)
	}
	return fmt.Errorf("redis: no initConnFunc set for conn[%d]", cn.GetID())
}

// SetNetConnAndInitConn replaces the socket and re-runs the init function
// (handoff, re-authentication).
func (cn *Conn) SetNetConnAndInitConn(ctx context.Context, netConn net.Conn) error {
	if !cn.stateMachine.TryTransition(StateCreated, StateInitializing) &&
		!cn.stateMachine.TryTransition(StateIdle, StateInitializing) {
		return errors.New("cannot initialize connection")
	}
	cn.SetNetConn(netConn)
	// ExecuteInitConn transitions to IDLE on success, CLOSED on failure.
	return cn.ExecuteInitConn(ctx)
}

func (cn *Conn) Close() error {
	for {
		state := cn.stateMachine.GetState()
		if state == StateClosed {
			return nil
		}
		if cn.stateMachine.TryTransition(state, StateClosed) {
			break
		}
	}

	if fn := cn.onClose.Swap(nil); fn != nil {
		// ignore error
		_ = (*fn)()
	}

	if netConn := cn.getNetConn(); netConn != nil {
		return netConn.Close()
	}
	return nil
}

// StreamingCredentialsProvider pushes credential updates to its listeners.
type StreamingCredentialsProvider interface {
	Subscribe(connID uint64) (username, password string, unsubscribe func() error, err error)
}

type baseClient struct {
	credentials StreamingCredentialsProvider
}

func (c *baseClient) initConn(ctx context.Context, cn *Conn) error {
	_, _, unsubscribeFromCredentialsProvider, err := c.credentials.Subscribe(cn.GetID())
	if err != nil {
		cn.GetStateMachine().Transition(StateClosed)
		return err
	}
	// Per-connection unsubscribe runs when this connection is closed.
	cn.SetOnClose(unsubscribeFromCredentialsProvider)

	// Set the connection initialization function for potential reconnections.
	cn.SetInitConnFunc(c.createInitConnFunc())
	cn.GetStateMachine().Transition(StateIdle)
	return ctx.Err()
}

// createInitConnFunc creates a connection initialization function that can be used for reconnections.
func (c *baseClient) createInitConnFunc() func(context.Context, *Conn) error {
	return func(ctx context.Context, cn *Conn) error {
		return c.initConn(ctx, cn)
	}
}

// newConn dials a connection for the pool and initialises it.
func (c *baseClient) newConn(ctx context.Context, netConn net.Conn) (*Conn, error) {
	cn := NewConn(netConn)
	cn.SetInitConnFunc(c.createInitConnFunc())
	if err := cn.SetNetConnAndInitConn(ctx, netConn); err != nil {
		_ = cn.Close()
		return nil, err
	}
	return cn, nil
}
