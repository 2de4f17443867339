// Upstream: https://github.com/op/go-logging/pull/49
// Project: op/go-logging
// Bug: in process(), `break` on eventStop only leaves the switch, not the
// for loop, so the goroutine never reaches stopWg.Done() after the loop.
// Stop() then waits on stopWg forever ("it hangs if you use Stop").
// Kind: deadlock
// Want: GD307
package gologging49

import "sync"

type Record struct{ Msg string }

type event int

const (
	eventFlush event = iota
	eventStop
)

type ChannelMemoryBackend struct {
	mu       sync.Mutex
	incoming chan *Record
	events   chan event
	records  []*Record
	running  bool
	stopWg   sync.WaitGroup
}

func NewChannelMemoryBackend(size int) *ChannelMemoryBackend {
	b := &ChannelMemoryBackend{incoming: make(chan *Record, 1024), events: make(chan event)}
	b.Start()
	return b
}

func (b *ChannelMemoryBackend) Start() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.running {
		b.running = true
		b.stopWg.Add(1)
		go b.process()
	}
}

func (b *ChannelMemoryBackend) process() {
	for {
		select {
		case rec := <-b.incoming:
			b.records = append(b.records, rec)
		case e := <-b.events:
			switch e {
			case eventStop:
				break // leaves the switch only
			case eventFlush:
			}
		}
	}
	// The original had b.stopWg.Done() here, after the loop: unreachable
	// (go vet rejects it, so it is left out; the effect is the same).
}

func (b *ChannelMemoryBackend) Stop() {
	b.mu.Lock()
	if b.running {
		b.running = false
		b.events <- eventStop
	}
	b.mu.Unlock()
	b.stopWg.Wait() // BUG: Done is never called, process() keeps looping
}
