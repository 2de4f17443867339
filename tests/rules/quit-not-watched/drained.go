package quit

// Goroutines started through a helper that calls its func parameter, and a
// send that a second function drains after the usual receiver stops.

func withRecover(f func()) {
	defer func() { _ = recover() }()
	f()
}

type batcher struct {
	input chan int
	out   chan []int
	stop  chan struct{}
}

func newBatcher() *batcher {
	b := &batcher{input: make(chan int), out: make(chan []int), stop: make(chan struct{})}
	go withRecover(b.manage)
	go withRecover(b.consume)
	return b
}

func (b *batcher) manage() {
	defer close(b.out)
	for {
		var batch []int
		select {
		case <-b.stop:
			return
		case v := <-b.input:
			batch = append(batch, v)
		}
		b.out <- batch // silent: abort drains out when consume stops
	}
}

func (b *batcher) consume() {
	for batch := range b.out {
		if len(batch) > 100 {
			b.abort()
			return
		}
	}
}

func (b *batcher) abort() {
	close(b.stop)
	for range b.out {
	}
}

// The same loop with no drain: the send blocks for good once consume2
// stops.
type batcher2 struct {
	input chan int
	out   chan []int
	stop  chan struct{}
}

func newBatcher2() *batcher2 {
	b := &batcher2{input: make(chan int), out: make(chan []int), stop: make(chan struct{})}
	go withRecover(b.manage)
	go withRecover(b.consume2)
	return b
}

func (b *batcher2) manage() {
	for {
		var batch []int
		select {
		case <-b.stop:
			return
		case v := <-b.input:
			batch = append(batch, v)
		}
		b.out <- batch // want "this send on b.out does not watch b.stop"
	}
}

func (b *batcher2) consume2() {
	for batch := range b.out {
		if len(batch) > 100 {
			close(b.stop)
			return
		}
	}
}
