// Upstream: https://github.com/ethereum/go-ethereum/pull/20657
// Project: ethereum/go-ethereum
// Fix: waitErr gets a buffer of one, so the waiting goroutine can deliver
// its result and exit even after Stop returned on timeout.
package fixed

import (
	"os/exec"
	"time"
)

type ExecNode struct {
	Cmd *exec.Cmd
}

func (n *ExecNode) Stop() error {
	if n.Cmd == nil {
		return nil
	}
	waitErr := make(chan error, 1)
	go func() {
		waitErr <- n.Cmd.Wait()
	}()
	select {
	case err := <-waitErr:
		return err
	case <-time.After(5 * time.Second):
		return n.Cmd.Process.Kill()
	}
}
