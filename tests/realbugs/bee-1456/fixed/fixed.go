// Upstream: https://github.com/ethersphere/bee/pull/1456
// Project: ethersphere/bee
// Fix: the send in the timer case also selects on the quit channel, so the
// detector exits when the subscription is terminated.
package fixed

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
			select {
			case d.out <- struct{}{}:
			case <-d.quit:
				return
			}
		case <-d.quit:
			return
		}
	}
}

func (d *detector) close() { close(d.quit) }

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
