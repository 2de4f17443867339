package defer_in_loop

// Issue 11, second round (code the rule was never tuned on): more loops that
// keep what they defer for the function's life, and deferred calls that
// hold nothing per iteration.

import (
	"context"
	"io"
	"net"
	"os"
	"time"
)

type index struct{ f *os.File }

func openIndex(p string) *index { return &index{} }
func (ix *index) Open() error   { return nil }
func (ix *index) Close() error  { return nil }
func (ix *index) Next() bool    { return false }

type command struct {
	paths map[uint64]string
	idxs  map[uint64]*index
}

// An element of a collection of the receiver, used after the loop
// (influxdb's reporttsi): released at return on purpose.
func (cmd *command) run() error {
	for id, p := range cmd.paths {
		cmd.idxs[id] = openIndex(p)
		if err := cmd.idxs[id].Open(); err != nil {
			return err
		}
		defer cmd.idxs[id].Close()
	}
	return cmd.report()
}

func (cmd *command) report() error { return nil }

// An element of a local slice, through the loop's index (geth's bystanders).
func bystanders(n int) {
	nodes := make([]*index, n)
	for i := range nodes {
		nodes[i] = openIndex("x")
		defer nodes[i].Close()
	}
	for _, nd := range nodes {
		nd.Next()
	}
}

// The loop only arms timers that must stay armed until the function
// returns (tailscale's dial plan): the defer ends the body and nothing else
// in it uses the timer.
func dialPlan(delays []time.Duration, results chan net.Conn) net.Conn {
	for _, d := range delays {
		t := time.AfterFunc(d, func() { results <- nil })
		defer t.Stop()
	}
	return <-results
}

// Released explicitly on the normal path; the defer covers the early
// returns (influxdb's tag value iterators): low confidence.
func scan(keys []string) error {
	for _, k := range keys {
		it := openIndex(k)
		defer it.Close() // want "defer of it.Close inside a loop.*\\[low confidence\\]"
		for it.Next() {
			if k == "" {
				return io.EOF
			}
		}
		if err := it.Close(); err != nil {
			return err
		}
	}
	return nil
}

// The same with a cancel func called at the end of each iteration.
func push(ctx context.Context, files []string) error {
	for _, f := range files {
		pctx, cancel := context.WithCancel(ctx)
		defer cancel() // want "defer of cancel inside a loop.*\\[low confidence\\]"
		if err := send(pctx, f); err != nil {
			return err
		}
		cancel()
	}
	return nil
}

func send(context.Context, string) error { return nil }

// A deferred call on an object that outlives the loop, with nothing of the
// iteration (vitess's triggerNextCheckInterval): it repeats one
// notification at return and holds nothing per iteration: low confidence.
type executor struct{}

func (e *executor) trigger()             {}
func (e *executor) fail(string) error    { return nil }

func (e *executor) reviewStale(ids []string) error {
	for _, id := range ids {
		if err := e.fail(id); err != nil {
			return err
		}
		defer e.trigger() // want "defer of e.trigger inside a loop.*\\[low confidence\\]"
	}
	return nil
}

// A slice made empty with a small capacity and a few appends outside
// loops (tailscale's two registry prefixes): a small loop, low confidence.
func prefixes(v4, v6 bool) error {
	prefixen := make([]string, 0, 2)
	if v4 {
		prefixen = append(prefixen, "v4")
	}
	if v6 {
		prefixen = append(prefixen, "v6")
	}
	for _, p := range prefixen {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // want "defer of f.Close inside a loop.*\\[low confidence\\]"
		f.Write(nil)
	}
	return nil
}

// ---- the true shapes stay at the default confidence ----

// A connection per measurement, used only in its iteration (geth's ntp).
func drift(addr *net.UDPAddr, n int) error {
	for i := 0; i < n+2; i++ {
		conn, err := net.DialUDP("udp", nil, addr)
		if err != nil {
			return err
		}
		defer conn.Close() // want "defer of conn.Close inside a loop: the deferred calls pile up"
		if _, err := conn.Write(nil); err != nil {
			return err
		}
	}
	return nil
}

// A registration per round of a retry loop, removed only at return
// (tailscale's file waiters): the handle is used in the iteration.
type waiters struct{}

func (w *waiters) add(context.CancelFunc) int { return 0 }
func (w *waiters) remove(int)                 {}

func (w *waiters) await(ctx context.Context, ready func() bool) error {
	for {
		got, gotCancel := context.WithCancel(ctx)
		defer gotCancel() // want "defer of gotCancel inside a loop: the deferred calls pile up"
		h := w.add(gotCancel)
		defer w.remove(h) // want "defer of w.remove inside a loop: the deferred calls pile up"
		if ready() {
			return nil
		}
		select {
		case <-got.Done():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// A variable of the function reassigned in the loop: each deferred Close
// gets another connection.
func redial(addr string, n int) error {
	var c net.Conn
	var err error
	for i := 0; i < n; i++ {
		c, err = net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer c.Close() // want "defer of c.Close inside a loop: the deferred calls pile up"
		c.Write(nil)
	}
	return nil
}
