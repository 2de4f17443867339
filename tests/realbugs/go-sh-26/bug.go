// Upstream: https://github.com/codeskyblue/go-sh/issues/26
// Project: codeskyblue/go-sh
// Bug: Go(f) returns an unbuffered channel fed by a goroutine. When
// WaitTimeout's timer wins, nobody receives from that channel, and the
// goroutine running s.Wait blocks on `ch <- f()` forever.
// Kind: leak
// Want: GD103
package gosh26

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
	ch := make(chan error)
	go func() {
		ch <- f() // BUG: abandoned when WaitTimeout times out
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
