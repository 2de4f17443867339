// Upstream: https://github.com/nats-io/nats-server/pull/6460
// Project: nats-io/nats-server
// Fix: commit ea4cb3b: deleteNotActive takes the js pointer under o.mu but
// calls js.clusterQuitC() only after o.mu.Unlock(), so the consumer lock is
// never held while the jetStream lock is taken.
package fixed

import (
	"sync"
	"time"
)

type jetStreamCluster struct{ qch chan struct{} }

type jetStream struct {
	mu      sync.RWMutex
	cluster *jetStreamCluster
}

type ConsumerConfig struct{ InactiveThreshold time.Duration }

type consumer struct {
	mu     sync.Mutex
	js     *jetStream
	cfg    ConsumerConfig
	active bool
	closed bool
	dtmr   *time.Timer
}

type consumerAssignment struct{ Config *ConsumerConfig }

func (js *jetStream) clusterQuitC() chan struct{} {
	js.mu.RLock()
	defer js.mu.RUnlock()
	if js.cluster != nil {
		return js.cluster.qch
	}
	return nil
}

func (o *consumer) updateConfig(cfg *ConsumerConfig) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.cfg = *cfg
	return nil
}

func (o *consumer) deleteNotActive() {
	o.mu.Lock()
	if o.active {
		o.mu.Unlock()
		return
	}
	js := o.js
	o.mu.Unlock()
	var cqch chan struct{}
	if js != nil {
		cqch = js.clusterQuitC()
	}

	select {
	case <-cqch:
	case <-time.After(time.Second):
	}
}

func (js *jetStream) processClusterCreateConsumer(o *consumer, ca *consumerAssignment) error {
	js.mu.Lock()
	err := o.updateConfig(ca.Config)
	js.mu.Unlock()
	return err
}

func (o *consumer) setInactiveTimer() {
	o.mu.Lock()
	o.dtmr = time.AfterFunc(o.cfg.InactiveThreshold, o.deleteNotActive)
	o.mu.Unlock()
}

func monitorCluster(js *jetStream, o *consumer, assignments <-chan *consumerAssignment) {
	o.setInactiveTimer()
	for ca := range assignments {
		_ = js.processClusterCreateConsumer(o, ca)
	}
}
