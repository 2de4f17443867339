// Upstream: https://github.com/goadesign/pulse/pull/77
// Project: goadesign/pulse
// Fix: Close closes donechan first, without the lock (under sync.Once), and
// the fan-out send is a select that abandons delivery once donechan closes.
package fixed

import "sync"

type Event struct{ ID string }

type Reader struct {
	lock      sync.Mutex
	chans     []chan *Event
	donechan  chan struct{}
	closeOnce sync.Once
	wait      sync.WaitGroup
	poll      func() []*Event
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
				select {
				case c <- ev:
				case <-r.donechan:
					r.lock.Unlock()
					return
				}
			}
		}
		r.lock.Unlock()
	}
}

func (r *Reader) Close() {
	r.closeOnce.Do(func() {
		close(r.donechan)
		r.wait.Wait()
		r.lock.Lock()
		for _, c := range r.chans {
			close(c)
		}
		r.chans = nil
		r.lock.Unlock()
	})
}
