// Upstream: https://github.com/etf1/kafka-message-scheduler/pull/38
// Project: etf1/kafka-message-scheduler
// Bug: Start has a deferred write to the unbuffered exitChan that only Close
// reads. If Start fails during initialization before any SIGTERM, nobody is
// in Close yet, so the deferred send hangs, Start never returns and the
// initialization error is never logged.
// Kind: leak
// Want: GD115
package kafkamessagescheduler38

import (
	"errors"
	"log"
	"os"
	"syscall"
)

type Scheduler struct {
	brokers  string
	stopChan chan bool
	exitChan chan bool
}

func New(brokers string) *Scheduler {
	return &Scheduler{brokers: brokers, stopChan: make(chan bool), exitChan: make(chan bool)}
}

func (s *Scheduler) Start() error {
	defer func() {
		s.exitChan <- true // BUG: hangs when Start fails and Close is never called
	}()
	if s.brokers == "" {
		return errors.New("no brokers")
	}
	<-s.stopChan
	return nil
}

func (s *Scheduler) Close() {
	s.stopChan <- true
	<-s.exitChan
}

func run(sigs chan os.Signal) {
	s := New("")
	go func() {
		if err := s.Start(); err != nil {
			log.Printf("start failed: %v", err)
		}
	}()
	for sig := range sigs {
		if sig == syscall.SIGTERM {
			s.Close()
			return
		}
	}
}
