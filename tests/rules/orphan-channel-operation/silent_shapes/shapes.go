package shapes

import "os/signal"
import "os"

// Generic queue: the send is in the same package.
type queue[T any] struct {
	items chan T
}

func newQueue[T any]() *queue[T] { return &queue[T]{items: make(chan T)} }

func (q *queue[T]) put(v T) { q.items <- v }
func (q *queue[T]) get() T  { return <-q.items }

// A type alias: values of the alias are values of the type.
type conn struct {
	closed chan struct{}
}

type connAlias = conn

func newConn() *conn { return &conn{closed: make(chan struct{})} }

func (c *conn) wait() { <-c.closed }

func closeIt(c *connAlias) { close(c.closed) }

// Fed by the runtime through signal.Notify.
type app struct {
	sigs chan os.Signal
}

func newApp() *app {
	a := &app{sigs: make(chan os.Signal, 1)}
	signal.Notify(a.sigs, os.Interrupt)
	return a
}

func (a *app) waitSignal() os.Signal { return <-a.sigs }

// Embedded by pointer: the promoted field is closed through the outer type.
type lifecycle struct {
	stopped chan struct{}
}

type daemon struct {
	*lifecycle
}

func newDaemon() *daemon {
	return &daemon{&lifecycle{stopped: make(chan struct{})}}
}

func (l *lifecycle) awaitStop() { <-l.stopped }

func (d *daemon) shutdown() { close(d.stopped) }

// Elided literal types in a slice of structs: the value is a parameter.
type lane struct {
	in chan int
}

func lanes(a, b chan int) []lane {
	return []lane{{in: a}, {in: b}}
}

func newLane() lane { return lane{in: make(chan int)} }

func (l lane) pull() int { return <-l.in }

// A defined type of the struct type converts to it.
type link struct {
	up chan bool
}

type link2 link

func newLink() *link { return &link{up: make(chan bool)} }

func (l *link) waitUp() bool { return <-l.up }

func raise(l2 *link2) { l2.up <- true }

// Written through a pointer to the field.
type gate struct {
	open chan struct{}
}

func newGate() *gate { return &gate{open: make(chan struct{})} }

func (g *gate) enter() { <-g.open }

func openAll(gs []*gate) {
	for _, g := range gs {
		p := &g.open
		close(*p)
	}
}
