// Upstream: https://github.com/mailgun/gubernator/pull/36
// Project: mailgun/gubernator
// Bug: SetPeers swaps in the new peer picker and then shuts the peers that
// left down: for each it calls wg.Add(1) and starts a goroutine that calls
// PeerClient.Shutdown, but that goroutine never calls wg.Done. As soon as
// one peer leaves the cluster, SetPeers blocks forever on wg.Wait(), so the
// next membership change (issue #34: pod restarts) is never applied.
// Kind: deadlock
// Want: GD307
package gubernator36

import (
	"context"
	"errors"
	"sync"
	"time"
)

var ErrClosing = errors.New("closing")

type request struct {
	key  string
	hits int64
}

type PeerClient struct {
	host      string
	queue     chan *request
	mutex     sync.RWMutex
	isClosing bool
	wg        sync.WaitGroup // in-flight requests
}

func NewPeerClient(host string) *PeerClient {
	c := &PeerClient{host: host, queue: make(chan *request, 1000)}
	go c.run()
	return c
}

// run batches queued requests until Shutdown closes the queue.
func (c *PeerClient) run() {
	var batch []*request
	for r := range c.queue {
		batch = append(batch, r)
		if len(batch) == 100 {
			batch = nil // sent to the peer upstream
		}
	}
}

// QueueHit queues a hit to be sent to the peer in the next batch.
func (c *PeerClient) QueueHit(key string, hits int64) error {
	c.mutex.RLock()
	if c.isClosing {
		c.mutex.RUnlock()
		return ErrClosing
	}
	c.wg.Add(1)
	defer c.wg.Done()
	c.queue <- &request{key: key, hits: hits}
	c.mutex.RUnlock()
	return nil
}

// Shutdown closes the queue and waits for in-flight requests or ctx.
func (c *PeerClient) Shutdown(ctx context.Context) error {
	c.mutex.Lock()
	if c.isClosing {
		c.mutex.Unlock()
		return nil
	}
	c.isClosing = true
	close(c.queue)
	c.mutex.Unlock()

	waitChan := make(chan struct{})
	go func() {
		c.wg.Wait()
		close(waitChan)
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-waitChan:
		return nil
	}
}

type Instance struct {
	peerMutex sync.RWMutex
	peers     map[string]*PeerClient
	timeout   time.Duration
}

// SetPeers is called by the discovery pool when the set of peers changes.
func (s *Instance) SetPeers(hosts []string) {
	picker := make(map[string]*PeerClient)
	for _, h := range hosts {
		if p, ok := s.peers[h]; ok {
			picker[h] = p
			continue
		}
		picker[h] = NewPeerClient(h)
	}

	s.peerMutex.Lock()
	old := s.peers
	s.peers = picker
	s.peerMutex.Unlock()

	// Shutdown any old peers we no longer need.
	wg := sync.WaitGroup{}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	for host, p := range old {
		if _, ok := picker[host]; ok {
			continue
		}
		wg.Add(1)
		go func(p *PeerClient) {
			if err := p.Shutdown(ctx); err != nil {
				_ = err // logged upstream
			}
		}(p)
	}
	wg.Wait() // BUG: the shutdown goroutines never call wg.Done
}
