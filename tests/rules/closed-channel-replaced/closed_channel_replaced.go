package reset

import (
	"sync"
	"time"
)

// Stop closes the stop channel and replaces it at once: the loop reads the
// field again each time round and can miss the close (keybase#18533).
type loader struct {
	mu     sync.Mutex
	stopCh chan struct{}
}

func newLoader() *loader {
	l := &loader{stopCh: make(chan struct{})}
	go l.loop()
	return l
}

func (l *loader) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.stopCh)
	l.stopCh = make(chan struct{})
}

func (l *loader) getStopCh() chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stopCh
}

func (l *loader) loop() {
	for {
		select {
		case <-l.getStopCh(): // want "this receive reads loader.stopCh anew: Stop closes it and then replaces it with a new channel \\(line 25\\)"
			return
		case <-time.After(time.Second):
		}
	}
}

// Direct reads of the field in a ticker loop.
type poller struct {
	stop chan struct{}
}

func newPoller() *poller {
	p := &poller{stop: make(chan struct{})}
	go p.run()
	return p
}

func (p *poller) Restart() {
	close(p.stop)
	p.stop = make(chan struct{})
	go p.run()
}

func (p *poller) run() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.stop: // want "this receive reads poller.stop anew"
			return
		case <-t.C:
		}
	}
}

// Fixed: the loop takes the channel once, before it starts waiting.
type fixedLoader struct {
	mu     sync.Mutex
	stopCh chan struct{}
}

func newFixedLoader() *fixedLoader {
	l := &fixedLoader{stopCh: make(chan struct{})}
	go l.loop(l.stopCh)
	return l
}

func (l *fixedLoader) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.stopCh)
	l.stopCh = make(chan struct{})
}

func (l *fixedLoader) loop(stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(time.Second):
		}
	}
}

// Look-alikes that must stay silent.

// Close waits for the goroutine before it makes a new channel.
type service struct {
	stop chan struct{}
	wg   sync.WaitGroup
}

func (s *service) Open() {
	s.stop = make(chan struct{})
	s.wg.Add(1)
	go s.loop()
}

func (s *service) loop() {
	defer s.wg.Done()
	for {
		select {
		case <-s.stop:
			return
		case <-time.After(time.Second):
		}
	}
}

func (s *service) Reopen() {
	close(s.stop)
	s.wg.Wait()
	s.stop = make(chan struct{})
	s.wg.Add(1)
	go s.loop()
}

// A data channel the reading goroutine itself replaces.
type watcher struct {
	updates chan int
	tokens  chan struct{}
}

func (w *watcher) run() {
	for {
		select {
		case <-w.tokens:
			w.rewatch()
		case u := <-w.updates:
			_ = u
		}
	}
}

func (w *watcher) rewatch() {
	close(w.updates)
	w.updates = make(chan int, 10)
}

func startWatcher() *watcher {
	w := &watcher{updates: make(chan int, 10), tokens: make(chan struct{})}
	go w.run()
	return w
}
