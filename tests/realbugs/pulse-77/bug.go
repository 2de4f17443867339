// Upstream: https://github.com/goadesign/pulse/pull/77
// Project: goadesign/pulse
// Bug: the read loop fans events out with a blocking `c <- ev` while holding
// the reader lock. If a subscriber stops draining, the loop parks there with
// the lock held; Close takes the same lock before closing donechan, so it
// blocks forever and the read goroutine is never released.
// Kind: deadlock
// Want: GD406
package pulse77

import "sync"

type Event struct{ ID string }

type Reader struct {
	lock     sync.Mutex
	chans    []chan *Event
	donechan chan struct{}
	wait     sync.WaitGroup
	poll     func() []*Event
}

func NewReader(poll func() []*Event) *Reader {
	r := &Reader{donechan: make(chan struct{}), poll: poll}
	r.wait.Add(1)
	go r.read()
	return r
}

func (r *Reader) Subscribe() <-chan *Event {
	c := make(chan *Event)
	r.lock.Lock()
	r.chans = append(r.chans, c)
	r.lock.Unlock()
	return c
}

func (r *Reader) read() {
	defer r.wait.Done()
	for {
		events := r.poll()
		select {
		case <-r.donechan:
			return
		default:
		}
		r.lock.Lock()
		for _, ev := range events {
			for _, c := range r.chans {
				c <- ev // BUG: parks with r.lock held when a subscriber stalls
			}
		}
		r.lock.Unlock()
	}
}

func (r *Reader) Close() {
	r.lock.Lock()
	close(r.donechan)
	for _, c := range r.chans {
		close(c)
	}
	r.chans = nil
	r.lock.Unlock()
	r.wait.Wait()
}
