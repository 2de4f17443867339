package quitpolled

// Stop wakes the loop itself with a last value after the close.
type waker struct {
	work chan int
	quit chan struct{}
	done chan struct{}
}

func newWaker() *waker {
	w := &waker{work: make(chan int), quit: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

func (w *waker) loop() {
	defer close(w.done)
	for {
		<-w.work
		select {
		case <-w.quit:
			return
		default:
		}
	}
}

func (w *waker) Stop() {
	close(w.quit)
	w.work <- 0
	<-w.done
}

// The loop's channel is closed on shutdown: the range ends.
type drainer struct {
	in   chan int
	quit chan struct{}
	done chan struct{}
}

func newDrainer() *drainer {
	d := &drainer{in: make(chan int), quit: make(chan struct{}), done: make(chan struct{})}
	go d.loop()
	return d
}

func (d *drainer) loop() {
	for v := range d.in {
		_ = v
		select {
		case <-d.quit:
			continue
		default:
		}
	}
	close(d.done)
}

func (d *drainer) Close() {
	close(d.quit)
	close(d.in)
	<-d.done
}

// The loop blocks in a select that watches the quit channel.
type watcher struct {
	in   chan int
	quit chan struct{}
	done chan struct{}
}

func newWatcher() *watcher {
	w := &watcher{in: make(chan int), quit: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

func (w *watcher) loop() {
	defer close(w.done)
	for {
		select {
		case <-w.in:
		case <-w.quit:
			return
		}
	}
}

func (w *watcher) Close() {
	close(w.quit)
	<-w.done
}

// The receive is conditional: the loop does not block on it every time.
type ticker struct {
	in    chan int
	quit  chan struct{}
	done  chan struct{}
	ready bool
}

func newTicker() *ticker {
	t := &ticker{in: make(chan int), quit: make(chan struct{}), done: make(chan struct{})}
	go t.loop()
	return t
}

func (t *ticker) loop() {
	defer close(t.done)
	for {
		if t.ready {
			<-t.in
		}
		select {
		case <-t.quit:
			return
		default:
		}
	}
}

func (t *ticker) Feed(v int) { t.in <- v }

func (t *ticker) Close() {
	close(t.quit)
	<-t.done
}

// Nobody waits for the loop after closing the quit channel.
type fireAndForget struct {
	in   chan int
	quit chan struct{}
}

func newFireAndForget() *fireAndForget {
	f := &fireAndForget{in: make(chan int), quit: make(chan struct{})}
	go f.loop()
	return f
}

func (f *fireAndForget) loop() {
	for {
		<-f.in
		select {
		case <-f.quit:
			return
		default:
		}
	}
}

func (f *fireAndForget) Feed(v int) { f.in <- v }

func (f *fireAndForget) Close() { close(f.quit) }
