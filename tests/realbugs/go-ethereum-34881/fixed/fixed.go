// Upstream: https://github.com/ethereum/go-ethereum/issues/34881 (fix: https://github.com/ethereum/go-ethereum/pull/34898)
// Project: ethereum/go-ethereum
// Fix: commit 281dc4c keeps the synchronous feed send under tab.mutex but
// decouples waitForNodes from it: a forwarder goroutine subscribed to the
// feed (channel of capacity 1) turns each node into a non-blocking poke on
// a notify channel of capacity 1, and waitForNodes waits on notify, so the
// feed's receiver never takes tab.mutex.
package fixed

import (
	"context"
	"errors"
	"sync"
)

var errClosed = errors.New("discover: table closed")

type Node struct{ ID [32]byte }

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
	tab.nodeFeed.Send(n)
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

func (tab *Table) waitForNodes(ctx context.Context, n int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var notify chan struct{}
	var notifyErr error
	initsub := func() func() {
		notify = make(chan struct{}, 1)
		newnode := make(chan *Node, 1)
		unsub := tab.nodeFeed.Subscribe(newnode)
		go func() {
			defer close(notify)
			for {
				select {
				case <-newnode:
					select {
					case notify <- struct{}{}:
					default:
					}
				case <-ctx.Done():
					notifyErr = ctx.Err()
					return
				case <-tab.closeReq:
					notifyErr = errClosed
					return
				}
			}
		}()
		return unsub
	}

	getlength := func() (count int) {
		for _, b := range &tab.buckets {
			count += len(b.entries)
		}
		return count
	}

	for {
		tab.mutex.Lock()
		if getlength() >= n {
			tab.mutex.Unlock()
			return nil
		}
		if notify == nil {
			unsub := initsub()
			defer unsub()
		}
		tab.mutex.Unlock()

		// Wait for table event.
		if _, ok := <-notify; !ok {
			break
		}
	}
	return notifyErr
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
