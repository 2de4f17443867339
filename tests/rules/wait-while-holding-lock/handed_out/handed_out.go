package handed_out

// A fan-out under a lock to channels the package hands out (pulse#77):
// a subscriber that calls Close instead of receiving blocks on the lock
// while the sender blocks on it. Low confidence: the receivers are the
// callers' code.

import "sync"

type Event struct{ ID string }

type Reader struct {
	lock  sync.Mutex
	chans []chan *Event
	done  chan struct{}
	poll  func() []*Event
}

func NewReader(poll func() []*Event) *Reader {
	r := &Reader{done: make(chan struct{}), poll: poll}
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
	for {
		events := r.poll()
		r.lock.Lock()
		for _, ev := range events {
			for _, c := range r.chans {
				c <- ev // want "this send on c waits while holding r.lock .* get the channel from Subscribe .* one that calls Close .* \\[low confidence\\]"
			}
		}
		r.lock.Unlock()
	}
}

func (r *Reader) Close() {
	r.lock.Lock()
	close(r.done)
	for _, c := range r.chans {
		close(c)
	}
	r.chans = nil
	r.lock.Unlock()
}

// The fixed twin: the send gives up once done is closed, and Close
// closes done before it takes the lock.
type Reader2 struct {
	lock  sync.Mutex
	once  sync.Once
	chans []chan *Event
	done  chan struct{}
	poll  func() []*Event
}

func (r *Reader2) Subscribe() <-chan *Event {
	c := make(chan *Event)
	r.lock.Lock()
	r.chans = append(r.chans, c)
	r.lock.Unlock()
	return c
}

func (r *Reader2) read() {
	for {
		events := r.poll()
		r.lock.Lock()
		for _, ev := range events {
			for _, c := range r.chans {
				select {
				case c <- ev:
				case <-r.done:
					r.lock.Unlock()
					return
				}
			}
		}
		r.lock.Unlock()
	}
}

func (r *Reader2) Close() {
	r.once.Do(func() { close(r.done) })
	r.lock.Lock()
	r.chans = nil
	r.lock.Unlock()
}

// Look-alike: the channels stay inside the package (a worker pool that
// receives them itself); nothing hands them out.
type Pool struct {
	mu      sync.Mutex
	workers []chan int
}

func (p *Pool) add() {
	c := make(chan int)
	p.mu.Lock()
	p.workers = append(p.workers, c)
	p.mu.Unlock()
	go func() {
		for range c {
		}
	}()
}

func (p *Pool) Broadcast(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.workers {
		c <- v
	}
}

func (p *Pool) Reset() {
	p.mu.Lock()
	p.workers = nil
	p.mu.Unlock()
}
