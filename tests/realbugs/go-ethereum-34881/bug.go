// Upstream: https://github.com/ethereum/go-ethereum/issues/34881 (fix: https://github.com/ethereum/go-ethereum/pull/34898)
// Project: ethereum/go-ethereum
// Bug: loadSeedNodes holds tab.mutex and calls handleAddNode -> nodeAdded ->
// nodeFeed.Send, which blocks until every subscriber has taken the node.
// The subscriber is waitForNodes, whose loop takes tab.mutex to count the
// table before it goes back to receive on its (unbuffered) feed channel.
// When the next seed is sent while waitForNodes is between a receive and
// its Lock, the sender holds the mutex the receiver needs: both hang (and
// Table.loop with them).
// Kind: deadlock
// Want: none (why: a send two calls down (handleAddNode -> nodeAdded -> feed.Send) under tab.mutex, received by a loop that takes tab.mutex before each receive; GD406's receiver-takes-the-lock-first case, through a feed of subscriber channels)
package goethereum34881

import (
	"context"
	"errors"
	"sync"
)

var errClosed = errors.New("discover: table closed")

type Node struct{ ID [32]byte }

// Feed stands in for event.FeedOf: Send delivers to every subscribed
// channel and blocks until all have received.
type Feed struct {
	mu   sync.Mutex
	subs []chan *Node
}

func (f *Feed) Subscribe(ch chan *Node) func() {
	f.mu.Lock()
	f.subs = append(f.subs, ch)
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, c := range f.subs {
			if c == ch {
				f.subs = append(f.subs[:i], f.subs[i+1:]...)
				break
			}
		}
	}
}

func (f *Feed) Send(n *Node) {
	f.mu.Lock()
	subs := append([]chan *Node(nil), f.subs...)
	f.mu.Unlock()
	for _, ch := range subs {
		ch <- n
	}
}

type bucket struct{ entries []*Node }

type Table struct {
	mutex    sync.Mutex
	buckets  [17]*bucket
	nodeFeed Feed
	closeReq chan struct{}
	seeds    []*Node
}

func (tab *Table) nodeAdded(b *bucket, n *Node) {
	tab.nodeFeed.Send(n) // BUG: blocks until waitForNodes receives, while loadSeedNodes holds tab.mutex, which waitForNodes takes before each receive
}

func (tab *Table) handleAddNode(n *Node) bool {
	b := tab.buckets[int(n.ID[0])%len(tab.buckets)]
	for _, e := range b.entries {
		if e.ID == n.ID {
			return false
		}
	}
	b.entries = append(b.entries, n)
	tab.nodeAdded(b, n)
	return true
}

func (tab *Table) loadSeedNodes() {
	for _, seed := range tab.seeds {
		tab.mutex.Lock()
		tab.handleAddNode(seed)
		tab.mutex.Unlock()
	}
}

// waitForNodes blocks until the table contains at least n nodes.
func (tab *Table) waitForNodes(ctx context.Context, n int) error {
	getlength := func() (count int) {
		for _, b := range &tab.buckets {
			count += len(b.entries)
		}
		return count
	}

	var ch chan *Node
	for {
		tab.mutex.Lock()
		if getlength() >= n {
			tab.mutex.Unlock()
			return nil
		}
		if ch == nil {
			ch = make(chan *Node)
			unsub := tab.nodeFeed.Subscribe(ch)
			defer unsub()
		}
		tab.mutex.Unlock()

		// Wait for a node add event.
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-tab.closeReq:
			return errClosed
		}
	}
}

func newTable(seeds []*Node) *Table {
	tab := &Table{closeReq: make(chan struct{}), seeds: seeds}
	for i := range tab.buckets {
		tab.buckets[i] = new(bucket)
	}
	return tab
}

func run(ctx context.Context, seeds []*Node) error {
	tab := newTable(seeds)
	go tab.loadSeedNodes()
	return tab.waitForNodes(ctx, len(seeds))
}
