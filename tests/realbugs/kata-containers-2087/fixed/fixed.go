// Upstream: https://github.com/kata-containers/kata-containers/issues/2087
// Project: kata-containers/kata-containers (Go shim, src/runtime/containerd-shim-v2)
// Fix: when starting fails, Start still delivers an exit status on exitCh so
// the pending Wait returns (the repair the issue describes; upstream patch
// not read).
package fixed

import (
	"errors"
	"sync"
)

type container struct {
	id     string
	exitCh chan uint32
}

type service struct {
	mu         sync.Mutex
	containers map[string]*container
	start      func(*container) error
	waitProc   func(*container) uint32
}

func (s *service) Create(id string) {
	s.mu.Lock()
	s.containers[id] = &container{id: id, exitCh: make(chan uint32, 1)}
	s.mu.Unlock()
}

func (s *service) Start(id string) error {
	s.mu.Lock()
	c, ok := s.containers[id]
	s.mu.Unlock()
	if !ok {
		return errors.New("not found")
	}
	if err := s.start(c); err != nil {
		c.exitCh <- 255
		return err
	}
	go s.wait(c)
	return nil
}

func (s *service) wait(c *container) {
	c.exitCh <- s.waitProc(c)
}

func (s *service) Wait(id string) (uint32, error) {
	s.mu.Lock()
	c, ok := s.containers[id]
	s.mu.Unlock()
	if !ok {
		return 0, errors.New("not found")
	}
	ret := <-c.exitCh
	c.exitCh <- ret
	return ret, nil
}
