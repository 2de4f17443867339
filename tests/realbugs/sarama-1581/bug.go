// Upstream: https://github.com/IBM/sarama/pull/1581 (issue: https://github.com/IBM/sarama/issues/1554)
// Project: IBM/sarama
// Bug: Consume holds consumerGroup.lock while the session's release waits
// for hbDead to be closed. If heartbeatLoop runs out of retries at that
// moment it calls handleError, which blocks on the same lock, so hbDead is
// never closed: Consume and heartbeatLoop wait on each other forever.
// Kind: deadlock
// Want: GD406
package sarama1581

import (
	"errors"
	"sync"
	"time"
)

type consumerGroup struct {
	lock   sync.Mutex
	errors chan error
}

type consumerGroupSession struct {
	parent  *consumerGroup
	hbDying chan struct{}
	hbDead  chan struct{}
	retries int
}

func (c *consumerGroup) Consume() error {
	c.lock.Lock()
	defer c.lock.Unlock()
	sess := newConsumerGroupSession(c)
	// ... consume until the session ends ...
	return sess.release() // BUG: waits for hbDead holding c.lock, which heartbeatLoop's handleError takes
}

func newConsumerGroupSession(parent *consumerGroup) *consumerGroupSession {
	s := &consumerGroupSession{parent: parent, hbDying: make(chan struct{}), hbDead: make(chan struct{}), retries: 3}
	go s.heartbeatLoop()
	return s
}

func (s *consumerGroupSession) release() error {
	close(s.hbDying)
	<-s.hbDead
	return nil
}

func (s *consumerGroupSession) heartbeatLoop() {
	defer close(s.hbDead)
	pause := time.NewTicker(time.Second)
	defer pause.Stop()
	for {
		if err := heartbeat(); err != nil {
			if s.retries--; s.retries <= 0 {
				s.parent.handleError(err)
				return
			}
		}
		select {
		case <-pause.C:
		case <-s.hbDying:
			return
		}
	}
}

func (c *consumerGroup) handleError(err error) {
	c.lock.Lock() // Consume holds c.lock while waiting for hbDead
	defer c.lock.Unlock()
	select {
	case c.errors <- err:
	default:
	}
}

func heartbeat() error { return errors.New("coordinator not available") }
