// Upstream: https://github.com/blinklabs-io/gouroboros/issues/478
// Project: blinklabs-io/gouroboros
// Bug: the protocol's send loop reads from sendQueueChan without also
// checking doneChan. When the protocol shuts down with no pending messages
// the loop stays blocked on the queue forever (deadlock in shutdown).
// Kind: leak
// Want: GD112
package gouroboros478

import "sync"

type Message interface{ Type() uint8 }

type Protocol struct {
	sendQueueChan chan Message
	sendReadyChan chan struct{}
	doneChan      chan struct{}
	muxerSendChan chan []byte
	waitGroup     sync.WaitGroup
	onceStop      sync.Once
}

func New() *Protocol {
	p := &Protocol{
		sendQueueChan: make(chan Message, 50),
		sendReadyChan: make(chan struct{}, 1),
		doneChan:      make(chan struct{}),
		muxerSendChan: make(chan []byte, 10),
	}
	p.waitGroup.Add(1)
	go p.sendLoop()
	return p
}

func (p *Protocol) sendLoop() {
	defer p.waitGroup.Done()
	for {
		select {
		case <-p.doneChan:
			return
		case <-p.sendReadyChan:
		}
		msg := <-p.sendQueueChan // BUG: no doneChan case; blocks forever on shutdown with an empty queue
		p.muxerSendChan <- []byte{msg.Type()}
	}
}

// MuxerSendChan hands the outgoing frames to the muxer, which reads them.
func (p *Protocol) MuxerSendChan() <-chan []byte { return p.muxerSendChan }

func (p *Protocol) SendMessage(msg Message) {
	p.sendQueueChan <- msg
}

func (p *Protocol) SetReady() {
	select {
	case p.sendReadyChan <- struct{}{}:
	default:
	}
}

func (p *Protocol) Stop() {
	p.onceStop.Do(func() { close(p.doneChan) })
	p.waitGroup.Wait()
}
