// Upstream: https://github.com/mediocregopher/radix/pull/230
// Project: mediocregopher/radix
// Fix: cmd also selects on the closed channel (as the maintainer asked) and
// returns an error once the pubsub has been closed.
package fixed

import (
	"errors"
	"sync"
)

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

var errClosed = errors.New("pubsub is closed")

func (p *persistentPubSub) cmd(name string, chans ...string) error {
	resCh := make(chan error, 1)
	select {
	case p.cmdCh <- persistentPubSubCmd{name: name, chans: chans, resCh: resCh}:
	case <-p.closeCh:
		return errClosed
	}
	select {
	case err := <-resCh:
		return err
	case <-p.closeCh:
		return errClosed
	}
}

func (p *persistentPubSub) Subscribe(chans ...string) error {
	return p.cmd("SUBSCRIBE", chans...)
}

func (p *persistentPubSub) Close() error {
	p.closeOnce.Do(func() { close(p.closeCh) })
	return nil
}
