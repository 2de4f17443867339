// Upstream: https://github.com/nats-io/nats-server/pull/6460
// Project: nats-io/nats-server
// Bug: the established order is jetStream -> stream -> consumer, but
// deleteNotActive (run by the consumer's inactivity timer) holds o.mu and
// calls o.js.clusterQuitC(), which read-locks js.mu. The meta layer's
// processClusterCreateConsumer holds js.mu and calls o.updateConfig, which
// locks o.mu. Each holds one lock and waits for the other.
// Kind: deadlock
// Want: GD405
package natsserver6460

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

// deleteNotActive runs from the consumer's inactivity timer.
func (o *consumer) deleteNotActive() {
	o.mu.Lock()
	if o.active {
		o.mu.Unlock()
		return
	}
	var cqch chan struct{}
	if o.js != nil {
		cqch = o.js.clusterQuitC() // BUG: read-locks js.mu while holding o.mu; processClusterCreateConsumer takes them the other way round
	}
	o.mu.Unlock()

	select {
	case <-cqch:
	case <-time.After(time.Second):
	}
}

// processClusterCreateConsumer runs on the meta layer's goroutine.
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
