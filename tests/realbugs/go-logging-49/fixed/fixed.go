// Upstream: https://github.com/op/go-logging/pull/49
// Project: op/go-logging
// Fix: process() defers stopWg.Done() before the loop and returns on
// eventStop (the reviewer's suggestion that was merged).
package fixed

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
	defer b.stopWg.Done()
	for {
		select {
		case rec := <-b.incoming:
			b.records = append(b.records, rec)
		case e := <-b.events:
			switch e {
			case eventStop:
				return
			case eventFlush:
			}
		}
	}
}

func (b *ChannelMemoryBackend) Stop() {
	b.mu.Lock()
	if b.running {
		b.running = false
		b.events <- eventStop
	}
	b.mu.Unlock()
	b.stopWg.Wait()
}
