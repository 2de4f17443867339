// Upstream: https://github.com/traefik/traefik/pull/3036
// Project: traefik/traefik
// Fix: a sync.Once guards the error notification, so only the first failing
// watcher sends on errorCh and the others return without blocking (PR 3036).
// Beyond PR 3036: its watchers kept sending on the unbuffered watchCh (and the
// first error on errorCh) with nothing to stop them once watch() has returned
// through `<-stop` or an error -- the same leak on the other channel, which
// godark reports on the merged code (GD103, true; upstream later reworked
// this loop, #3560). Here those sends also select on stopCh, which watch()
// closes when it returns, so the fixed program has no leaking send left.
package fixed

import (
	"errors"
	"sync"
)

type Provider struct {
	consulDown bool
}

func (p *Provider) watch(configurationChan chan<- []string, stop chan bool) error {
	stopCh := make(chan struct{})
	watchCh := make(chan []string)
	errorCh := make(chan error)

	var errorOnce sync.Once
	notifyError := func(err error) {
		errorOnce.Do(func() {
			select {
			case errorCh <- err:
			case <-stopCh:
			}
		})
	}

	go p.watchHealthState(stopCh, watchCh, notifyError)
	go p.watchCatalogServices(stopCh, watchCh, notifyError)

	defer close(stopCh)

	for {
		select {
		case <-stop:
			return nil
		case data := <-watchCh:
			configurationChan <- data
		case err := <-errorCh:
			return err
		}
	}
}

func (p *Provider) watchHealthState(stopCh <-chan struct{}, watchCh chan<- []string, notifyError func(error)) {
	for {
		select {
		case <-stopCh:
			return
		default:
		}
		if p.consulDown {
			notifyError(errors.New("health state: connection refused"))
			return
		}
		select {
		case watchCh <- []string{"health"}:
		case <-stopCh:
			return
		}
	}
}

func (p *Provider) watchCatalogServices(stopCh <-chan struct{}, watchCh chan<- []string, notifyError func(error)) {
	for {
		select {
		case <-stopCh:
			return
		default:
		}
		if p.consulDown {
			notifyError(errors.New("catalog services: connection refused"))
			return
		}
		select {
		case watchCh <- []string{"catalog"}:
		case <-stopCh:
			return
		}
	}
}
