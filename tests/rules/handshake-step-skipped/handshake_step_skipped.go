package handshake

import (
	"errors"
	"log"
)

// kafka-message-scheduler#38: Start's deferred send on exitChan is taken only
// by Close, which first sends on stopChan; Start returns early on an error
// before it receives from stopChan.
type Scheduler struct {
	brokers  string
	stopChan chan bool
	exitChan chan bool
}

func New(brokers string) *Scheduler {
	return &Scheduler{brokers: brokers, stopChan: make(chan bool), exitChan: make(chan bool)}
}

func (s *Scheduler) Start() error {
	defer func() {
		s.exitChan <- true // want "the deferred send on s.exitChan blocks forever when Start returns at line 26 without receiving from Scheduler.stopChan: its only receiver, Close, first sends on Scheduler.stopChan"
	}()
	if s.brokers == "" {
		return errors.New("no brokers")
	}
	<-s.stopChan
	return nil
}

func (s *Scheduler) Close() {
	s.stopChan <- true
	<-s.exitChan
}

func run() {
	s := New("")
	go func() {
		if err := s.Start(); err != nil {
			log.Printf("start failed: %v", err)
		}
	}()
	s.Close()
}

// The upstream shape: the stop arrives in a select of the event loop, which
// also ends when its input channel is closed.
type event struct{ id int }

type Runner struct {
	events chan event
	stop   chan bool
	exit   chan bool
}

func NewRunner(events chan event) *Runner {
	r := &Runner{events: events, stop: make(chan bool), exit: make(chan bool)}
	go r.Start()
	return r
}

func (r Runner) Close() error {
	r.stop <- true
	<-r.exit
	return nil
}

func (r *Runner) Start() error {
	defer func() { r.exit <- true }() // want "the deferred send on r.exit blocks forever when Start returns at line 72"
	if cap(r.events) == 0 {
		return errors.New("unbuffered input")
	}
loop:
	for {
		select {
		case ev, open := <-r.events:
			if !open {
				break loop
			}
			log.Print(ev.id)
		case <-r.stop:
			log.Print("closing")
			return nil
		}
	}
	return nil
}

// A final plain send that the loop reaches when its input ends, not only
// after the stop.
type pump struct {
	in      chan int
	quit    chan struct{}
	stopped chan struct{}
}

func newPump() *pump {
	p := &pump{in: make(chan int), quit: make(chan struct{}), stopped: make(chan struct{})}
	go p.loop()
	return p
}

func (p *pump) loop() {
	for {
		select {
		case v, ok := <-p.in:
			if !ok {
				goto out
			}
			log.Print(v)
		case <-p.quit:
			goto out
		}
	}
out:
	p.stopped <- struct{}{} // want "the send on p.stopped blocks forever on a path that reaches it without receiving from pump.quit"
}

func (p *pump) Feed(v int) { p.in <- v }

func (p *pump) Stop() {
	p.quit <- struct{}{}
	<-p.stopped
}

// Fixed (upstream): one slot each, so Start returns on every path and
// Close never blocks.
type fixedScheduler struct {
	brokers  string
	stopChan chan bool
	exitChan chan bool
}

func newFixedScheduler(brokers string) *fixedScheduler {
	return &fixedScheduler{brokers: brokers, stopChan: make(chan bool, 1), exitChan: make(chan bool, 1)}
}

func (s *fixedScheduler) Start() error {
	defer func() {
		s.exitChan <- true
	}()
	if s.brokers == "" {
		return errors.New("no brokers")
	}
	<-s.stopChan
	return nil
}

func (s *fixedScheduler) Close() {
	s.stopChan <- true
	<-s.exitChan
}

// Fixed another way: exited is closed, and Close gives up on it.
type closingScheduler struct {
	brokers string
	stop    chan bool
	exited  chan struct{}
}

func newClosingScheduler(brokers string) *closingScheduler {
	return &closingScheduler{brokers: brokers, stop: make(chan bool), exited: make(chan struct{})}
}

func (s *closingScheduler) Start() error {
	defer close(s.exited)
	if s.brokers == "" {
		return errors.New("no brokers")
	}
	<-s.stop
	return nil
}

func (s *closingScheduler) Close() {
	select {
	case s.stop <- true:
	case <-s.exited:
		return
	}
	<-s.exited
}
