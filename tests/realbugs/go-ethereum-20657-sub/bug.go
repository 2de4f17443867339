// Upstream: https://github.com/ethereum/go-ethereum/pull/20657
// Project: ethereum/go-ethereum
// Bug: resubscribeSub.subscribe starts a goroutine that calls s.fn and sends
// the result on the unbuffered `subscribed` channel. When Unsubscribe closes
// s.unsub first, subscribe returns through the unsub case and nobody ever
// receives from `subscribed`: the child goroutine leaks on the send.
// Kind: leak
// Want: GD103
package goethereum20657sub

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
			subscribed <- err // BUG: nobody receives after the unsub case was taken
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
			return nil
		}
	}
}
