// Upstream: https://github.com/mediocregopher/radix/pull/230
// Project: mediocregopher/radix
// Bug: persistentPubSub.cmd hands each command to the spin goroutine over
// cmdCh. After Close, spin has returned, so any later Subscribe/Unsubscribe
// blocks forever on the send to cmdCh ("forever lock").
// Kind: deadlock
// Want: GD109
package radix230

import "sync"

type persistentPubSubCmd struct {
	name  string
	chans []string
	resCh chan error
}

type persistentPubSub struct {
	cmdCh     chan persistentPubSubCmd
	closeCh   chan struct{}
	closeOnce sync.Once
	subs      map[string]bool
}

func newPersistentPubSub() *persistentPubSub {
	p := &persistentPubSub{
		cmdCh:   make(chan persistentPubSubCmd),
		closeCh: make(chan struct{}),
		subs:    map[string]bool{},
	}
	go p.spin()
	return p
}

func (p *persistentPubSub) spin() {
	for {
		select {
		case cmd := <-p.cmdCh:
			for _, ch := range cmd.chans {
				p.subs[ch] = cmd.name == "SUBSCRIBE"
			}
			cmd.resCh <- nil
		case <-p.closeCh:
			return
		}
	}
}

func (p *persistentPubSub) cmd(name string, chans ...string) error {
	resCh := make(chan error)
	p.cmdCh <- persistentPubSubCmd{name: name, chans: chans, resCh: resCh} // BUG: blocks forever after Close
	return <-resCh
}

func (p *persistentPubSub) Subscribe(chans ...string) error {
	return p.cmd("SUBSCRIBE", chans...)
}

func (p *persistentPubSub) Close() error {
	p.closeOnce.Do(func() { close(p.closeCh) })
	return nil
}
