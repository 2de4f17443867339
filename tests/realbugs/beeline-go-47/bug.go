// Upstream: https://github.com/honeycombio/beeline-go/pull/47
// Project: honeycombio/beeline-go
// Bug: two locks of Span, taken across a parent and its child in opposite
// orders. A parent's Send holds its sendLock, then its childrenLock while
// it walks the children, and read-locks each synchronous child's sendLock
// to see whether it was sent. A child's Send (another goroutine, the
// async code that finished the child) holds the child's sendLock and, at
// the end, calls parent.removeChildSpan, which takes the parent's
// childrenLock. Parent: childrenLock then child.sendLock; child:
// child.sendLock then parent.childrenLock. Both Sends block forever.
// Kind: deadlock
// Want: none (why: GD405 reports the class pair Span.sendLock/Span.childrenLock at low confidence but at line 66, Send's own s.childrenLock.Lock under s.sendLock (an order within one span, four lines above), naming line 70 as the other order; the child's edge of this deadlock, s.parent.removeChildSpan(s) under s.sendLock, is the same class pair and is folded into that one report (one report per pair, its first edge: match_lock_facts in src/model/summary.c); locks are matched by class, so parent and child are not told apart; low because both orders are in the one function Send, and orders_concurrent sees one start site (`go child.Send()`, not in a loop) and stops there, without the spawner's own root.Send() after the go statement)
package beelinego47

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
	s.childrenLock.Lock()
	childrenToSend := make([]*Span, 0, len(s.children))
	for _, child := range s.children {
		if !child.IsAsync() {
			child.sendLock.RLock() // BUG: holds s.childrenLock; the child's Send holds child.sendLock and waits for s.childrenLock in removeChildSpan
			isChildSent := child.isSent
			child.sendLock.RUnlock()
			if !isChildSent {
				childrenToSend = append(childrenToSend, child)
			}
		}
	}
	s.childrenLock.Unlock()

	for _, child := range childrenToSend {
		child.ev.AddField("meta.sent_by_parent", true)
		child.Send()
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
