// Upstream: https://github.com/IBM/sarama/pull/1581 (issue: https://github.com/IBM/sarama/issues/1554)
// Project: IBM/sarama
// Fix: handleError no longer takes the consumer-group lock (its channel
// operations are already safe), so heartbeatLoop can always close hbDead.
package fixed

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
	return sess.release()
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
	select {
	case c.errors <- err:
	default:
	}
}

func heartbeat() error { return errors.New("coordinator not available") }
