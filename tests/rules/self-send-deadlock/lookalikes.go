package selfsend

// --- look-alikes from ordinary code: silent ---

// A buffered channel has room for the self-send.
type buffered struct{ kick chan struct{} }

func newBuffered() *buffered {
	b := &buffered{kick: make(chan struct{}, 1)}
	go b.loop()
	return b
}

func (b *buffered) loop() {
	for range b.kick {
		b.kick <- struct{}{}
	}
}

// Several workers share the queue: another worker takes the re-queued job.
type workers struct{ jobs chan job }

func newWorkers(n int) *workers {
	w := &workers{jobs: make(chan job)}
	for i := 0; i < n; i++ {
		go w.work()
	}
	return w
}

func (w *workers) work() {
	for j := range w.jobs {
		if j.again {
			j.again = false
			w.jobs <- j
		}
	}
}

// The same loop started twice.
type twice struct{ in chan int }

func newTwice() *twice {
	t := &twice{in: make(chan int)}
	go t.loop()
	go t.loop()
	return t
}

func (t *twice) loop() {
	for v := range t.in {
		if v > 0 {
			t.in <- v - 1
		}
	}
}

// A tree: each node's loop forwards to its parent's channel, another value.
type node struct {
	parent *node
	in     chan int
}

func newNode(parent *node) *node {
	n := &node{parent: parent, in: make(chan int)}
	go n.loop()
	return n
}

func (n *node) loop() {
	for v := range n.in {
		if n.parent != nil {
			n.parent.in <- v
		}
	}
}

// Another method receives too: the send in the loop is taken by Wait.
type twoReceivers struct{ done chan struct{} }

func newTwoReceivers() *twoReceivers {
	t := &twoReceivers{done: make(chan struct{})}
	go t.loop()
	return t
}

func (t *twoReceivers) loop() {
	<-t.done
	t.finish()
}

func (t *twoReceivers) finish() { t.done <- struct{}{} }

func (t *twoReceivers) Wait() { <-t.done }

// The send is a select case with a way out.
type withQuit struct {
	out  chan int
	quit chan struct{}
}

func newWithQuit() *withQuit {
	w := &withQuit{out: make(chan int), quit: make(chan struct{})}
	go w.loop()
	return w
}

func (w *withQuit) loop() {
	for {
		select {
		case v := <-w.out:
			w.emit(v)
		case <-w.quit:
			return
		}
	}
}

func (w *withQuit) emit(v int) {
	select {
	case w.out <- v:
	case <-w.quit:
	}
}

// The channel is handed out by a getter: others may receive.
type getter struct{ ch chan int }

func newGetter() *getter {
	g := &getter{ch: make(chan int)}
	go g.loop()
	return g
}

func (g *getter) C() <-chan int { return g.ch }

func (g *getter) loop() {
	<-g.ch
	g.ch <- 1
}

// A literal started in a loop: one goroutine per iteration, all sharing
// the one value.
type shared struct{ work chan int }

func newShared() *shared {
	s := &shared{work: make(chan int)}
	for i := 0; i < 4; i++ {
		go func() {
			for w := range s.work {
				if w > 0 {
					s.work <- w - 1
				}
			}
		}()
	}
	return s
}

// The literal receives on one value and stops another.
type peer struct{ done chan struct{} }

func (p *peer) Stop() { p.done <- struct{}{} }

func link(a, b *peer) {
	a.done = make(chan struct{})
	b.done = make(chan struct{})
	go func() {
		<-a.done
		b.Stop()
	}()
}
