// Upstream: https://github.com/honeycombio/beeline-go/pull/47
// Project: honeycombio/beeline-go
// Fix: commit b02ce73 stops read-locking the children's sendLock under
// childrenLock: the parent collects every synchronous child and, after
// unlocking childrenLock, sends each with sendByParent, which takes the
// child's sendLock itself and skips a child already sent.
package fixed

import (
	"context"
	"sync"
)

type event struct {
	mu     sync.Mutex
	fields map[string]interface{}
}

func (e *event) AddField(k string, v interface{}) {
	e.mu.Lock()
	e.fields[k] = v
	e.mu.Unlock()
}

// Span is one unit of work of a trace.
type Span struct {
	isAsync      bool
	isSent       bool
	children     []*Span
	childrenLock sync.Mutex
	parent       *Span
	ev           *event
	sendLock     sync.RWMutex
}

func newSpan() *Span {
	return &Span{ev: &event{fields: make(map[string]interface{})}}
}

// CreateChild creates a synchronous child span.
func (s *Span) CreateChild(ctx context.Context) (context.Context, *Span) {
	c := newSpan()
	c.parent = s
	s.childrenLock.Lock()
	s.children = append(s.children, c)
	s.childrenLock.Unlock()
	return ctx, c
}

// IsAsync says whether the span is sent on its own.
func (s *Span) IsAsync() bool { return s.isAsync }

// Send sends the span, and the unsent synchronous children with it.
func (s *Span) Send() {
	s.sendLock.Lock()
	defer s.sendLock.Unlock()
	if s.isSent {
		return
	}
	s.sendLocked()
}

func (s *Span) sendByParent() {
	s.sendLock.Lock()
	defer s.sendLock.Unlock()
	if s.isSent {
		return
	}
	s.ev.AddField("meta.sent_by_parent", true)
	s.sendLocked()
}

func (s *Span) sendLocked() {
	s.childrenLock.Lock()
	childrenToSend := make([]*Span, 0, len(s.children))
	for _, child := range s.children {
		if !child.IsAsync() {
			childrenToSend = append(childrenToSend, child)
		}
	}
	s.childrenLock.Unlock()

	for _, child := range childrenToSend {
		child.sendByParent()
	}
	s.isSent = true
	if s.parent != nil {
		s.parent.removeChildSpan(s)
	}
}

func (s *Span) removeChildSpan(sent *Span) {
	s.childrenLock.Lock()
	defer s.childrenLock.Unlock()
	for i, child := range s.children {
		if child == sent {
			s.children = append(s.children[:i], s.children[i+1:]...)
			return
		}
	}
}

// finishAsync is the shape of the caller: a child finished on another
// goroutine while the request's root span is sent.
func finishAsync(root *Span) {
	_, child := root.CreateChild(context.Background())
	go child.Send()
	root.Send()
}
