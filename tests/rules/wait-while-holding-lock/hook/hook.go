package hook

// A hook field the package sets to one of two methods (issue 18): the one
// that sends makes the call under the lock a may-call that blocks while the
// receiving goroutine needs the lock (low); a hook only ever set to the
// method that takes no channel is silent.

import "sync"

type Pub struct {
	mu     sync.Mutex
	events chan int
	notify func(int)
	subs   int
}

func NewPub(fast bool) *Pub {
	p := &Pub{events: make(chan int)}
	if fast {
		p.notify = p.send
	} else {
		p.notify = p.count
	}
	go p.drain()
	return p
}

func (p *Pub) send(v int)  { p.events <- v }
func (p *Pub) count(v int) { p.subs += v }

func (p *Pub) Publish(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notify(v) // want "this call of p.notify sends on p.events .* waits while holding p.mu.*\\[low confidence\\]"
}

func (p *Pub) drain() {
	for v := range p.events {
		p.mu.Lock()
		p.subs += v
		p.mu.Unlock()
	}
}

// Look-alike: the hook only ever counts.
type Quiet struct {
	mu     sync.Mutex
	events chan int
	notify func(int)
	subs   int
}

func NewQuiet() *Quiet {
	q := &Quiet{events: make(chan int)}
	q.notify = q.count
	go q.drain()
	return q
}

func (q *Quiet) send(v int)  { q.events <- v }
func (q *Quiet) count(v int) { q.subs += v }

func (q *Quiet) Publish(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.notify(v)
}

func (q *Quiet) Flush(v int) {
	q.send(v)
}

func (q *Quiet) drain() {
	for v := range q.events {
		q.mu.Lock()
		q.subs += v
		q.mu.Unlock()
	}
}
