// Upstream: https://github.com/IBM/sarama/issues/2772
// Project: IBM/sarama
// Bug: PartitionOffsetManager.Close ranges over pom.errors until it is
// closed, but only the offset manager's mainLoop (via releasePOMs) closes
// it, and mainLoop is never started when auto-commit is disabled, so Close
// blocks forever.
// Kind: deadlock
// Want: GD117
package sarama2772

import (
	"sync"
	"time"
)

type ConsumerError struct{ Err error }

type Config struct {
	AutoCommitEnable   bool
	AutoCommitInterval time.Duration
}

type offsetManager struct {
	conf    *Config
	ticker  *time.Ticker
	pomsMu  sync.Mutex
	poms    []*partitionOffsetManager
	closing chan struct{}
}

type partitionOffsetManager struct {
	lock   sync.Mutex
	done   bool
	errors chan *ConsumerError
}

func NewOffsetManager(conf *Config) *offsetManager {
	om := &offsetManager{conf: conf, closing: make(chan struct{})}
	if conf.AutoCommitEnable {
		om.ticker = time.NewTicker(conf.AutoCommitInterval)
		go om.mainLoop()
	}
	return om
}

func (om *offsetManager) ManagePartition() *partitionOffsetManager {
	pom := &partitionOffsetManager{errors: make(chan *ConsumerError, 256)}
	om.pomsMu.Lock()
	om.poms = append(om.poms, pom)
	om.pomsMu.Unlock()
	return pom
}

func (om *offsetManager) mainLoop() {
	defer om.ticker.Stop()
	for {
		select {
		case <-om.ticker.C:
			om.releasePOMs(false)
		case <-om.closing:
			om.releasePOMs(true)
			return
		}
	}
}

func (om *offsetManager) releasePOMs(force bool) {
	om.pomsMu.Lock()
	defer om.pomsMu.Unlock()
	for _, pom := range om.poms {
		pom.lock.Lock()
		if pom.done || force {
			close(pom.errors)
		}
		pom.lock.Unlock()
	}
	om.poms = nil
}

func (pom *partitionOffsetManager) AsyncClose() {
	pom.lock.Lock()
	pom.done = true
	pom.lock.Unlock()
}

func (pom *partitionOffsetManager) Close() []*ConsumerError {
	pom.AsyncClose()
	var errs []*ConsumerError
	for err := range pom.errors { // BUG: never closed without auto-commit's mainLoop
		errs = append(errs, err)
	}
	return errs
}
