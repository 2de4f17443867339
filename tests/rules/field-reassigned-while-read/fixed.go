package frwr

import (
	"sync"
	"time"
)

// Copy before the loop: the goroutine reads the field once.
type CopyPoller struct {
	halt chan struct{}
}

func (p *CopyPoller) Start() {
	halt := p.halt
	go func() {
		for {
			select {
			case <-halt:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (p *CopyPoller) Stop() {
	close(p.halt)
	p.halt = make(chan struct{})
}

// The same lock on both sides.
type Locked struct {
	mu    sync.Mutex
	timer *time.Timer
	quit  chan struct{}
}

func (l *Locked) Start() { go l.loop() }

func (l *Locked) loop() {
	for {
		l.mu.Lock()
		l.timer.Stop()
		l.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

func (l *Locked) Reset(d time.Duration) {
	l.mu.Lock()
	l.timer = time.NewTimer(d)
	l.mu.Unlock()
}

// The writer waits for the goroutine to exit first.
type Waiter struct {
	halt chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

func (w *Waiter) Start() {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for {
			select {
			case <-w.halt:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (w *Waiter) Stop() {
	close(w.halt)
	w.wg.Wait()
	w.halt = make(chan struct{})
}

type Exiter struct {
	halt chan struct{}
	done chan struct{}
}

func (e *Exiter) Start() { go e.run() }

func (e *Exiter) run() {
	defer close(e.done)
	for {
		select {
		case <-e.halt:
			return
		case <-time.After(time.Second):
		}
	}
}

func (e *Exiter) Stop() {
	close(e.halt)
	<-e.done
	e.halt = nil
}

// Once: the lazy initialisation runs before any goroutine reads.
type Lazy struct {
	once sync.Once
	halt chan struct{}
}

func (l *Lazy) init() {
	l.once.Do(func() { l.halt = make(chan struct{}) })
}

func (l *Lazy) Start() {
	l.init()
	go func() {
		for {
			select {
			case <-l.halt:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

func (l *Lazy) Stop() {
	l.init()
	close(l.halt)
}
