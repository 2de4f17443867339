// Upstream: https://github.com/ethereum/go-ethereum/pull/20657
// Project: ethereum/go-ethereum
// Fix: as merged (commit f4cc9cd, after review), `subscribed` stays
// unbuffered and the unsub case receives the child's value before returning
// (`<-subscribed // avoid leaking the s.fn goroutine`); the cancel() before it
// makes s.fn return promptly. (The PR first proposed a buffer of one.)
package fixed

import (
	"context"
	"sync"
)

type Subscription interface{ Unsubscribe() }

type ResubscribeFunc func(context.Context) (Subscription, error)

type resubscribeSub struct {
	fn        ResubscribeFunc
	err       chan error
	unsub     chan struct{}
	unsubOnce sync.Once
}

func Resubscribe(fn ResubscribeFunc) *resubscribeSub {
	s := &resubscribeSub{fn: fn, err: make(chan error), unsub: make(chan struct{})}
	go s.loop()
	return s
}

func (s *resubscribeSub) Unsubscribe() {
	s.unsubOnce.Do(func() { close(s.unsub) })
}

func (s *resubscribeSub) loop() {
	defer close(s.err)
	if sub := s.subscribe(); sub != nil {
		sub.Unsubscribe()
	}
}

func (s *resubscribeSub) subscribe() Subscription {
	subscribed := make(chan error)
	var sub Subscription
	for {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			rsub, err := s.fn(ctx)
			sub = rsub
			subscribed <- err
		}()
		select {
		case err := <-subscribed:
			cancel()
			if err != nil {
				continue
			}
			return sub
		case <-s.unsub:
			cancel()
			<-subscribed // avoid leaking the s.fn goroutine
			return nil
		}
	}
}
