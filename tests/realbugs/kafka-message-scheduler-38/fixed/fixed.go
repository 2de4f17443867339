// Upstream: https://github.com/etf1/kafka-message-scheduler/pull/38
// Project: etf1/kafka-message-scheduler
// Fix: stopChan and exitChan are buffered, so Start can exit immediately and
// leave the message in exitChan for a later Close.
package fixed

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
	return &Scheduler{brokers: brokers, stopChan: make(chan bool, 1), exitChan: make(chan bool, 1)}
}

func (s *Scheduler) Start() error {
	defer func() {
		s.exitChan <- true
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
