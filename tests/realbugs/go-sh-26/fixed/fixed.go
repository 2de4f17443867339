// Upstream: https://github.com/codeskyblue/go-sh/issues/26
// Project: codeskyblue/go-sh
// Fix: repair agreed in the thread ("That sounds reasonable"): the channel
// returned by Go has a buffer of one, so the sender never blocks.
package fixed

import (
	"errors"
	"os/exec"
	"time"
)

var ErrExecTimeout = errors.New("execute timeout")

type Session struct {
	cmd *exec.Cmd
}

func (s *Session) Wait() error { return s.cmd.Wait() }

func (s *Session) Kill() { s.cmd.Process.Kill() }

func Go(f func() error) chan error {
	ch := make(chan error, 1)
	go func() {
		ch <- f()
	}()
	return ch
}

func (s *Session) WaitTimeout(timeout time.Duration) (err error) {
	select {
	case <-time.After(timeout):
		s.Kill()
		return ErrExecTimeout
	case err = <-Go(s.Wait):
		return err
	}
}
