// Upstream: https://github.com/fluffle/goirc/issues/102 (fix: commit c981f8f)
// Project: fluffle/goirc
// Fix: getHandlers copies the event's handler list under the read lock;
// dispatch runs the copy and waits with no lock held, so a handler may call
// Remove (or add handlers) while it runs.
package fixed

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

func (hs *hSet) getHandlers(ev string) []*hNode {
	hs.RLock()
	defer hs.RUnlock()
	list, ok := hs.set[ev]
	if !ok {
		return nil
	}
	handlers := make([]*hNode, 0)
	for hn := list.start; hn != nil; hn = hn.next {
		handlers = append(handlers, hn)
	}
	return handlers
}

func (hs *hSet) dispatch(conn *Conn, line *Line) {
	ev := strings.ToLower(line.Cmd)
	wg := &sync.WaitGroup{}
	for _, hn := range hs.getHandlers(ev) {
		wg.Add(1)
		go func(hn *hNode) {
			hn.Handle(conn, line.Copy())
			wg.Done()
		}(hn)
	}
	wg.Wait()
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
