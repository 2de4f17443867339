package frwr

import "time"

// Assigned in the constructor, which makes the value.
type Ctor struct {
	halt chan struct{}
}

func NewCtor() *Ctor {
	c := &Ctor{}
	c.halt = make(chan struct{})
	go c.run()
	c.halt = make(chan struct{})
	return c
}

func (c *Ctor) run() {
	for {
		select {
		case <-c.halt:
			return
		case <-time.After(time.Second):
		}
	}
}

// Assigned before the go statement in the same function.
type Before struct {
	halt chan struct{}
}

func (b *Before) Start() {
	b.halt = make(chan struct{})
	go func() {
		for {
			select {
			case <-b.halt:
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

// The field is read once, not in a loop.
type Once struct {
	halt chan struct{}
}

func (o *Once) Start() {
	go func() {
		<-o.halt
	}()
}

func (o *Once) Stop() {
	close(o.halt)
	o.halt = make(chan struct{})
}

// The goroutine replaces the field itself.
type Self struct {
	tick *time.Timer
}

func (s *Self) Start() { go s.loop() }

func (s *Self) loop() {
	for {
		<-s.tick.C
		s.tick = time.NewTimer(time.Second)
	}
}
