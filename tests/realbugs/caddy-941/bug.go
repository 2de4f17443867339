// Upstream: https://github.com/caddyserver/caddy/issues/941
// Project: caddyserver/caddy (v0.9, then mholt/caddy)
// Bug: the package-level Stop() locks instancesMu and calls inst.Stop() on
// every instance; Instance.Stop splices itself out of the instances list
// and locks instancesMu to do so. The same goroutine locks the mutex it
// already holds: caddy.Stop() hangs on the first instance (the reporter
// reproduced it by calling caddy.Stop() after starting an instance).
// Kind: deadlock
// Want: GD403
package caddy941

import (
	"log"
	"sync"
)

type Server interface {
	Stop() error
}

// Instance contains the state of servers created as a result of calling
// Start, and can be used to access or control those servers.
type Instance struct {
	serverType string
	servers    []Server
}

var (
	instances   []*Instance
	instancesMu sync.Mutex
)

// Stop stops all servers contained in i. It does NOT execute shutdown
// callbacks.
func (i *Instance) Stop() error {
	for _, s := range i.servers {
		if err := s.Stop(); err != nil {
			log.Printf("[ERROR] Stopping %s: %v", i.serverType, err)
		}
	}

	// splice i out of instance list, causing it to be garbage-collected
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

// Stop stops ALL servers. It blocks until they are all stopped.
func Stop() error {
	instancesMu.Lock()
	for _, inst := range instances {
		if err := inst.Stop(); err != nil { // BUG: inst.Stop locks instancesMu, which Stop already holds
			log.Printf("[ERROR] Stopping %s: %v", inst.serverType, err)
		}
	}
	instances = []*Instance{}
	instancesMu.Unlock()
	return nil
}
