// Upstream: https://github.com/fluffle/goirc/issues/102 (fix: commit c981f8f)
// Project: fluffle/goirc
// Bug: hSet.dispatch holds the handler set's read lock while it runs every
// handler registered for the event, each in its own goroutine, and waits
// for them all. A handler that unregisters itself through the Remover that
// HandleFunc returned reaches hSet.remove, which takes the write lock: it
// waits for dispatch's RLock to go, dispatch waits on the WaitGroup for that
// handler, and the client's event loop stops. The BUG line is the wait made
// under the read lock (where GD406 reports such a deadlock), not the
// handler's Lock in hSet.remove.
// Kind: deadlock
// Want: none (why: GD406 must follow the handler chain from the dispatch goroutine: hn.Handle -> hn.handler.Handle (interface Handler field, set only by hSet.add from HandleFunc's HandlerFunc param) -> HandlerFunc.Handle calls hf, a func value = the one closure passed to HandleFunc (in onFirstJoin) -> r.Remove() (interface Remover, one impl *hNode) -> hs.remove, which write-locks hs while dispatch holds hs.RLock across wg.Wait; with the goroutine calling hn.Remove() directly GD406 reports it)
package goirc102

import (
	"strings"
	"sync"
)

type Line struct {
	Cmd  string
	Args []string
}

func (l *Line) Copy() *Line {
	nl := *l
	return &nl
}

type Conn struct {
	handlers *hSet
}

type Handler interface {
	Handle(*Conn, *Line)
}

type Remover interface {
	Remove()
}

type HandlerFunc func(*Conn, *Line)

func (hf HandlerFunc) Handle(conn *Conn, line *Line) {
	hf(conn, line)
}

// Handlers live in a map of linked lists keyed by the lower-cased verb.
type hSet struct {
	set map[string]*hList
	sync.RWMutex
}

type hList struct {
	start, end *hNode
}

type hNode struct {
	next, prev *hNode
	set        *hSet
	event      string
	handler    Handler
}

func (hn *hNode) Handle(conn *Conn, line *Line) {
	hn.handler.Handle(conn, line)
}

func (hn *hNode) Remove() {
	hn.set.remove(hn)
}

func handlerSet() *hSet {
	return &hSet{set: make(map[string]*hList)}
}

func (hs *hSet) add(ev string, h Handler) Remover {
	hs.Lock()
	defer hs.Unlock()
	ev = strings.ToLower(ev)
	l, ok := hs.set[ev]
	if !ok {
		l = &hList{}
	}
	hn := &hNode{set: hs, event: ev, handler: h}
	if !ok {
		l.start = hn
	} else {
		hn.prev = l.end
		l.end.next = hn
	}
	l.end = hn
	hs.set[ev] = l
	return hn
}

func (hs *hSet) remove(hn *hNode) {
	hs.Lock()
	defer hs.Unlock()
	l, ok := hs.set[hn.event]
	if !ok {
		return
	}
	if hn.next == nil {
		l.end = hn.prev
	} else {
		hn.next.prev = hn.prev
	}
	if hn.prev == nil {
		l.start = hn.next
	} else {
		hn.prev.next = hn.next
	}
	hn.next, hn.prev = nil, nil
	if l.start == nil || l.end == nil {
		delete(hs.set, hn.event)
	}
}

func (hs *hSet) dispatch(conn *Conn, line *Line) {
	hs.RLock()
	defer hs.RUnlock()
	ev := strings.ToLower(line.Cmd)
	list, ok := hs.set[ev]
	if !ok {
		return
	}
	wg := &sync.WaitGroup{}
	for hn := list.start; hn != nil; hn = hn.next {
		wg.Add(1)
		go func(hn *hNode) {
			hn.Handle(conn, line.Copy())
			wg.Done()
		}(hn)
	}
	wg.Wait() // BUG: a handler that calls its Remover needs hs.Lock, held off by this RLock
}

func (conn *Conn) HandleFunc(name string, hf HandlerFunc) Remover {
	return conn.handlers.add(name, hf)
}

func (conn *Conn) dispatch(line *Line) {
	conn.handlers.dispatch(conn, line)
}

// onFirstJoin runs f for the first JOIN only: the handler removes itself.
func onFirstJoin(conn *Conn, f func(channel string)) {
	var r Remover
	r = conn.HandleFunc("JOIN", func(c *Conn, l *Line) {
		r.Remove()
		f(l.Args[0])
	})
}
