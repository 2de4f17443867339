// Upstream: https://github.com/ethereum/go-ethereum/pull/20657
// Project: ethereum/go-ethereum
// Bug: ExecNode.Stop waits for the node process in a goroutine that sends on
// the unbuffered waitErr. On the timeout path Stop kills the process and
// returns without receiving, so that goroutine blocks on the send forever.
// Kind: leak
// Want: GD103
package goethereum20657exec

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
	waitErr := make(chan error)
	go func() {
		waitErr <- n.Cmd.Wait() // BUG: abandoned on the timeout path
	}()
	select {
	case err := <-waitErr:
		return err
	case <-time.After(5 * time.Second):
		return n.Cmd.Process.Kill()
	}
}
