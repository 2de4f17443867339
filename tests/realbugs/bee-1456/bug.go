// Upstream: https://github.com/ethersphere/bee/pull/1456
// Project: ethersphere/bee
// Bug: the flipflop detector goroutine, once its buffer timer has fired,
// does an unbuffered send on `out`. If the subscription is terminated at that
// moment the listener stops reading `out`, so the detector goroutine blocks
// on the send forever (it no longer selects on quit).
// Kind: leak
// Want: GD109
package bee1456

import "time"

type detector struct {
	in     chan struct{}
	out    chan struct{}
	quit   chan struct{}
	buffer time.Duration
}

func newDetector(buffer time.Duration) *detector {
	d := &detector{
		in:     make(chan struct{}),
		out:    make(chan struct{}),
		quit:   make(chan struct{}),
		buffer: buffer,
	}
	go d.detect()
	return d
}

func (d *detector) detect() {
	timer := time.NewTimer(d.buffer)
	defer timer.Stop()
	for {
		select {
		case <-d.in:
			timer.Reset(d.buffer)
		case <-timer.C:
			d.out <- struct{}{} // BUG: blocks forever once the listener has gone
		case <-d.quit:
			return
		}
	}
}

func (d *detector) close() { close(d.quit) }

// listen is the subscription side: it stops reading d.out on termination.
func listen(d *detector, done <-chan struct{}, notify func()) {
	for {
		select {
		case <-d.out:
			notify()
		case <-done:
			d.close()
			return
		}
	}
}
