// Upstream: https://github.com/traefik/traefik/pull/3036
// Project: traefik/traefik
// Bug: watch() starts two watcher goroutines that report failures on the
// unbuffered errorCh, and returns on the first error it receives. When
// Consul is down both watchers fail; the second one blocks on errorCh
// forever because its owner function has already exited.
// Kind: leak
// Want: GD103
package traefik3036

import "errors"

type Provider struct {
	consulDown bool
}

func (p *Provider) watch(configurationChan chan<- []string, stop chan bool) error {
	stopCh := make(chan struct{})
	watchCh := make(chan []string)
	errorCh := make(chan error)

	go p.watchHealthState(stopCh, watchCh, errorCh)
	go p.watchCatalogServices(stopCh, watchCh, errorCh)

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

func (p *Provider) watchHealthState(stopCh <-chan struct{}, watchCh chan<- []string, errorCh chan<- error) {
	for {
		select {
		case <-stopCh:
			return
		default:
		}
		if p.consulDown {
			errorCh <- errors.New("health state: connection refused") // BUG: second failing watcher blocks forever
			return
		}
		watchCh <- []string{"health"}
	}
}

func (p *Provider) watchCatalogServices(stopCh <-chan struct{}, watchCh chan<- []string, errorCh chan<- error) {
	for {
		select {
		case <-stopCh:
			return
		default:
		}
		if p.consulDown {
			errorCh <- errors.New("catalog services: connection refused")
			return
		}
		watchCh <- []string{"catalog"}
	}
}
