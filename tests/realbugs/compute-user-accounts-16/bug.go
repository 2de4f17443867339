// Upstream: https://github.com/googlearchive/compute-user-accounts/pull/16
// Project: googlearchive/compute-user-accounts
// Bug: the account cache answers GroupByName under its read lock and, on a
// miss, asks the update goroutine for a refresh by sending on the unbuffered
// updateWaiters channel while still holding the read lock. The update
// goroutine, between two receives, refreshes the cache under the write
// lock; its Lock waits for the reader, and the reader's send waits for the
// update goroutine: every lookup hangs (reconstructed from the PR text; the
// update goroutine got a stop channel so that it is not an endless loop).
// Kind: deadlock
// Want: GD109, GD406
package computeuseraccounts16

import (
	"errors"
	"sync"
	"time"
)

type Group struct {
	Name    string
	GID     uint32
	Members []string
}

type fetcher interface {
	FetchGroups() ([]*Group, error)
}

type cache struct {
	f             fetcher
	mu            sync.RWMutex
	groups        map[string]*Group
	updateWaiters chan chan struct{}
	refresh       time.Duration
	stop          chan struct{}
}

func newCache(f fetcher, refresh time.Duration) *cache {
	c := &cache{
		f:             f,
		groups:        make(map[string]*Group),
		updateWaiters: make(chan chan struct{}),
		refresh:       refresh,
		stop:          make(chan struct{}),
	}
	go c.updateLoop()
	return c
}

var errNotFound = errors.New("group not found")

// GroupByName returns the group, asking for a refresh and waiting for it on
// a miss.
func (c *cache) GroupByName(name string) (*Group, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if g, ok := c.groups[name]; ok {
		return g, nil
	}
	done := make(chan struct{})
	c.updateWaiters <- done // BUG: sends holding the read lock; updateLoop takes the write lock in update() before its next receive
	c.mu.RUnlock()
	<-done
	c.mu.RLock()
	if g, ok := c.groups[name]; ok {
		return g, nil
	}
	return nil, errNotFound
}

func (c *cache) updateLoop() {
	ticker := time.NewTicker(c.refresh)
	defer ticker.Stop()
	var waiters []chan struct{}
	for {
		select {
		case w := <-c.updateWaiters:
			waiters = append(waiters, w)
		case <-ticker.C:
		case <-c.stop:
			return
		}
		c.update()
		for _, w := range waiters {
			close(w)
		}
		waiters = nil
	}
}

// Close stops the update goroutine.
func (c *cache) Close() { close(c.stop) }

func (c *cache) update() {
	groups, err := c.f.FetchGroups()
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.groups = make(map[string]*Group, len(groups))
	for _, g := range groups {
		c.groups[g.Name] = g
	}
}
