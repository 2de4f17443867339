// Upstream: https://github.com/centrifugal/centrifuge-go/pull/129
// Project: centrifugal/centrifuge-go
// Bug: the refresh timer that scheduleSubRefresh arms with time.AfterFunc
// takes s.mu and, when GetToken fails, calls s.emitError with the lock
// held. emitError hands the user's OnError handler to runHandlerSync, which
// queues it for the client's callback goroutine (cbQueue.dispatch) and
// waits until it has run. A handler that asks the subscription anything
// (sub.State(), sub.Unsubscribe()) blocks on s.mu in the dispatch
// goroutine; the timer goroutine waits for it with s.mu held, and every
// later callback of the client is stuck behind it.
// Kind: deadlock
// Want: none (why: wait under a lock for a callback run on another goroutine: the AfterFunc closure holds s.mu and calls s.emitError, which hands runHandlerSync a closure calling the field s.events.onError (set only by exported OnError; the one in-package handler, in watch, calls sub.State, which RLocks s.mu); runHandlerSync stores it in a func (asyncCB.fn, a linked list) pushed on cbQueue and waits on <-waitCh, closed after cbQueue.dispatch (started by `go c.cbQueue.dispatch()` in NewClient) calls curr.fn; GD406 reports the direct form (go func(){ defer close(done); s.State() }(); <-done under s.mu) but not a wait one call down, nor a func queued for another goroutine)
package centrifugego129

import (
	"errors"
	"log"
	"sync"
	"time"
)

type SubState string

const (
	SubStateUnsubscribed SubState = "unsubscribed"
	SubStateSubscribed   SubState = "subscribed"
)

type SubscriptionErrorEvent struct{ Error error }

type SubscriptionErrorHandler func(SubscriptionErrorEvent)

type SubscriptionTokenEvent struct{ Channel string }

type subscriptionEventHub struct {
	onError SubscriptionErrorHandler
}

// cbQueue runs callbacks in one goroutine, in order.
type cbQueue struct {
	mu      sync.Mutex
	notify  chan struct{}
	head    *asyncCB
	tail    *asyncCB
	closeCh chan struct{}
	closed  bool
}

type asyncCB struct {
	fn   func(delay time.Duration)
	tm   time.Time
	next *asyncCB
}

func (q *cbQueue) dispatch() {
	for {
		q.mu.Lock()
		curr := q.head
		if curr != nil {
			q.head = curr.next
			if curr == q.tail {
				q.tail = nil
			}
		}
		q.mu.Unlock()
		if curr == nil {
			<-q.notify
			continue
		}
		// A nil fn is the close marker: everything before it has run.
		if curr.fn == nil {
			close(q.closeCh)
			return
		}
		curr.fn(time.Since(curr.tm))
	}
}

func (q *cbQueue) push(f func(delay time.Duration)) {
	q.pushOrClose(f, false)
}

func (q *cbQueue) close() {
	q.pushOrClose(nil, true)
	<-q.closeCh
}

func (q *cbQueue) pushOrClose(f func(time.Duration), close bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if close {
		q.closed = true
	}
	cb := &asyncCB{fn: f, tm: time.Now()}
	if q.tail != nil {
		q.tail.next = cb
	} else {
		q.head = cb
	}
	q.tail = cb
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

type Client struct {
	mu      sync.RWMutex
	cbQueue *cbQueue
}

func NewClient() *Client {
	c := &Client{cbQueue: &cbQueue{notify: make(chan struct{}, 1), closeCh: make(chan struct{})}}
	go c.cbQueue.dispatch()
	return c
}

func (c *Client) Close() {
	c.mu.Lock()
	queue := c.cbQueue
	c.cbQueue = nil
	c.mu.Unlock()
	if queue != nil {
		queue.close()
	}
}

// runHandlerSync runs fn on the callback goroutine and waits for it.
func (c *Client) runHandlerSync(fn func()) {
	c.mu.RLock()
	queue := c.cbQueue
	c.mu.RUnlock()
	if queue == nil {
		return
	}
	waitCh := make(chan struct{})
	queue.push(func(delay time.Duration) {
		defer close(waitCh)
		fn()
	})
	<-waitCh
}

type Subscription struct {
	mu           sync.RWMutex
	centrifuge   *Client
	Channel      string
	state        SubState
	events       *subscriptionEventHub
	getToken     func(SubscriptionTokenEvent) (string, error)
	refreshTimer *time.Timer
}

func (c *Client) NewSubscription(channel string, getToken func(SubscriptionTokenEvent) (string, error)) *Subscription {
	return &Subscription{centrifuge: c, Channel: channel, state: SubStateSubscribed,
		events: &subscriptionEventHub{}, getToken: getToken}
}

func (s *Subscription) OnError(handler SubscriptionErrorHandler) {
	s.events.onError = handler
}

func (s *Subscription) State() SubState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state
}

func (s *Subscription) emitError(err error) {
	if s.events != nil && s.events.onError != nil {
		handler := s.events.onError
		s.centrifuge.runHandlerSync(func() {
			handler(SubscriptionErrorEvent{Error: err})
		})
	}
}

func (s *Subscription) getSubscriptionToken(channel string) (string, error) {
	if s.getToken != nil {
		return s.getToken(SubscriptionTokenEvent{Channel: channel})
	}
	return "", errors.New("GetToken must be set to get subscription token")
}

func (s *Subscription) scheduleSubRefresh(ttl uint32) {
	if s.state != SubStateSubscribed {
		return
	}
	s.refreshTimer = time.AfterFunc(time.Duration(ttl)*time.Second, func() {
		s.mu.Lock()
		if s.state != SubStateSubscribed {
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()

		_, err := s.getSubscriptionToken(s.Channel)
		if err != nil {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.emitError(err) // BUG: waits for the OnError handler on the callback goroutine while holding s.mu; the handler calls s.State
			s.scheduleSubRefresh(10)
			return
		}
	})
}

// watch is the application side: its error handler reports the state.
func watch(c *Client, channel string, getToken func(SubscriptionTokenEvent) (string, error)) *Subscription {
	sub := c.NewSubscription(channel, getToken)
	sub.OnError(func(e SubscriptionErrorEvent) {
		log.Printf("subscription %s (%s): %v", sub.Channel, sub.State(), e.Error)
	})
	sub.mu.Lock()
	sub.scheduleSubRefresh(60)
	sub.mu.Unlock()
	return sub
}
