package frwr

import (
	"sync"
	"time"
)

// The canonical shape: Stop closes and clears the field that the loop
// selects on in every iteration.
type Poller struct {
	halt chan struct{}
}

func NewPoller() *Poller { return &Poller{halt: make(chan struct{})} }

func (p *Poller) Start() {
	go p.run()
}

func (p *Poller) run() {
	for {
		select {
		case <-p.halt:
			return
		case <-time.After(time.Second):
		}
	}
}

func (p *Poller) Stop() {
	close(p.halt)
	p.halt = nil // want "p.halt is set to nil here while the goroutine running run"
}

// Reset replaces the channel that a go literal reads in its loop.
type Pump struct {
	quit chan struct{}
	out  chan int
}

func NewPump() *Pump { return &Pump{quit: make(chan struct{}), out: make(chan int)} }

func (p *Pump) Start() {
	go func() {
		for {
			select {
			case <-p.quit:
				return
			case p.out <- 1:
			}
		}
	}()
}

func (p *Pump) Reset() {
	close(p.quit)
	p.quit = make(chan struct{}) // want "p.quit is replaced here while the goroutine started at shapes.go:[0-9]+ reads it"
}

// A ticker replaced under a lock the loop does not take.
type Beat struct {
	mu     sync.Mutex
	ticker *time.Ticker
	done   chan struct{}
}

func NewBeat() *Beat { return &Beat{ticker: time.NewTicker(time.Second), done: make(chan struct{})} }

func (b *Beat) Start() {
	go b.loop()
}

func (b *Beat) loop() {
	for {
		select {
		case <-b.ticker.C:
		case <-b.done:
			return
		}
	}
}

func (b *Beat) SetInterval(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ticker.Stop()
	b.ticker = time.NewTicker(d) // want "b.ticker is replaced here while the goroutine running loop"
}

// The spawner itself writes after its go statement.
type Worker struct {
	stop chan struct{}
}

func (w *Worker) Begin() {
	w.stop = make(chan struct{})
	go func() {
		for {
			select {
			case <-w.stop:
				return
			default:
				time.Sleep(time.Millisecond)
			}
		}
	}()
	w.stop = make(chan struct{}) // want "w.stop is replaced here while the goroutine started at shapes.go:[0-9]+"
}

// A helper that an exported method calls clears the field; the loop reads
// it through a helper of its own.
type Feed struct {
	quit chan struct{}
	in   chan int
}

func NewFeed() *Feed { return &Feed{quit: make(chan struct{}), in: make(chan int)} }

func (f *Feed) Run() { go f.pump() }

func (f *Feed) pump() {
	for f.step() {
	}
}

func (f *Feed) step() bool {
	for {
		select {
		case <-f.quit:
			return false
		case <-f.in:
			return true
		}
	}
}

func (f *Feed) Close() { f.shutdown() }

func (f *Feed) shutdown() {
	close(f.quit)
	f.quit = nil // want "f.quit is set to nil here while the goroutine running pump \\(started at shapes.go:[0-9]+\\)"
}

// A set-up method that fills the field before another method starts the
// goroutine: a protocol, reported at low confidence.
type Rotator struct {
	timer *time.Timer
}

func (r *Rotator) Initialize(d time.Duration) {
	r.timer = time.NewTimer(d) // want "r.timer is replaced here .* \\[low confidence\\]$"
}

func (r *Rotator) Next(done chan struct{}) {
	go func() {
		for {
			select {
			case <-r.timer.C:
				r.timer.Reset(time.Second)
			case <-done:
				return
			}
		}
	}()
}
