// Upstream: https://github.com/kata-containers/kata-containers/issues/2087
// Project: kata-containers/kata-containers (Go shim, src/runtime/containerd-shim-v2)
// Bug: containerd calls the shim's Wait right after Create. The value on
// the container's exitCh is only sent by the wait goroutine that Start
// launches after a successful start; when Start fails nothing ever sends,
// so the service.Wait goroutine stays in "chan receive" forever.
// Kind: leak
// Want: GD117
package katacontainers2087

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
		return err // nothing will ever be sent on c.exitCh
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
	ret := <-c.exitCh // BUG: blocks forever when Start failed
	c.exitCh <- ret
	return ret, nil
}
