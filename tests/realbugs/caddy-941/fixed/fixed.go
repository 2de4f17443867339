// Upstream: https://github.com/caddyserver/caddy/issues/941
// Project: caddyserver/caddy (v0.9, then mholt/caddy)
// Fix: the fix commit was not read (the v1 history is not in the stored
// snapshot); this is the shape caddy v1's Stop() has afterwards: take
// instancesMu only to pick the next instance, and call inst.Stop() (which
// removes the instance from the list under instancesMu) without holding it.
package fixed

import (
	"log"
	"sync"
)

type Server interface {
	Stop() error
}

type Instance struct {
	serverType string
	servers    []Server
}

var (
	instances   []*Instance
	instancesMu sync.Mutex
)

func (i *Instance) Stop() error {
	for _, s := range i.servers {
		if err := s.Stop(); err != nil {
			log.Printf("[ERROR] Stopping %s: %v", i.serverType, err)
		}
	}

	instancesMu.Lock()
	for j, other := range instances {
		if other == i {
			instances = append(instances[:j], instances[j+1:]...)
			break
		}
	}
	instancesMu.Unlock()
	return nil
}

// Stop stops ALL servers. The loop takes instancesMu only to look at the
// list, since inst.Stop() also acquires it.
func Stop() error {
	for {
		instancesMu.Lock()
		if len(instances) == 0 {
			instancesMu.Unlock()
			break
		}
		inst := instances[0]
		instancesMu.Unlock()
		if err := inst.Stop(); err != nil {
			log.Printf("[ERROR] Stopping %s: %v", inst.serverType, err)
		}
	}
	return nil
}
