// Upstream: https://github.com/0xsequence/ethkit/pull/116
// Project: 0xsequence/ethkit (ethmonitor)
// Bug: Monitor.Subscribe stores in each subscriber an unsubscribe closure
// that locks m.mu to splice the subscriber out of m.subscribers. Stop (with
// UnsubscribeOnStop) calls UnsubscribeAll, which locks m.mu and calls
// sub.Unsubscribe on every subscriber: Unsubscribe runs the closure through
// unsubscribeOnce.Do, the closure locks m.mu again, and Stop hangs on the
// first subscriber.
// Kind: deadlock
// Want: GD403
package ethkit116

import (
	"context"
	"errors"
	"sync"
)

var ErrMonitorStopped = errors.New("ethmonitor: stopped")

type Blocks []uint64

type Subscription interface {
	Blocks() <-chan Blocks
	Done() <-chan struct{}
	Err() error
	Unsubscribe()
}

type subscriber struct {
	ch              chan Blocks
	done            chan struct{}
	err             error
	unsubscribe     func()
	unsubscribeOnce sync.Once
}

func (s *subscriber) Blocks() <-chan Blocks { return s.ch }
func (s *subscriber) Done() <-chan struct{} { return s.done }
func (s *subscriber) Err() error            { return s.err }

func (s *subscriber) Unsubscribe() {
	s.unsubscribeOnce.Do(s.unsubscribe)
}

type Options struct {
	UnsubscribeOnStop bool
}

type Monitor struct {
	options     Options
	ctxStop     context.CancelFunc
	mu          sync.Mutex
	subscribers []*subscriber
}

func NewMonitor(options Options) *Monitor {
	return &Monitor{options: options}
}

func (m *Monitor) Subscribe() Subscription {
	m.mu.Lock()
	defer m.mu.Unlock()

	subscriber := &subscriber{
		ch:   make(chan Blocks, 16),
		done: make(chan struct{}),
	}
	subscriber.unsubscribe = func() {
		close(subscriber.done)

		m.mu.Lock()
		defer m.mu.Unlock()
		for i, sub := range m.subscribers {
			if sub == subscriber {
				m.subscribers = append(m.subscribers[:i], m.subscribers[i+1:]...)
				return
			}
		}
	}
	m.subscribers = append(m.subscribers, subscriber)
	return subscriber
}

func (m *Monitor) Stop() {
	if m.ctxStop != nil {
		m.ctxStop()
	}
	if m.options.UnsubscribeOnStop {
		m.UnsubscribeAll(ErrMonitorStopped)
	}
}

func (m *Monitor) NumSubscribers() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.subscribers)
}

func (m *Monitor) UnsubscribeAll(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, sub := range m.subscribers {
		sub.err = err
		sub.Unsubscribe() // BUG: runs the unsubscribe closure, which locks m.mu again
	}
}
