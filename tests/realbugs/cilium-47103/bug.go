// Upstream: https://github.com/cilium/cilium/pull/47103
// Project: cilium/cilium (pkg/endpoint)
// Bug: regenerateBPF starts a goroutine that decides whether to scrub the
// conntrack table by calling e.isPropertyLocked, which reads the
// e.properties map and, as its name says, expects e.mutex to be held. The
// new goroutine holds no lock, while SetPropertyValue writes the map under
// e.mutex: a concurrent map read and map write.
// Kind: race
// Want: GD604
package cilium47103

import "sync"

// PropertyFakeEndpoint marks an endpoint without a datapath.
const PropertyFakeEndpoint = "property-fake-endpoint"

type datapathRegenerationContext struct {
	ctCleaned chan struct{}
}

type regenerationContext struct {
	datapathRegenerationContext *datapathRegenerationContext
}

// Endpoint represents a container or similar which can be individually
// addressed on L3 with its own IP addresses.
type Endpoint struct {
	mutex      sync.RWMutex
	properties map[string]interface{}
	scrubbed   int
}

func NewEndpoint() *Endpoint {
	return &Endpoint{properties: map[string]interface{}{}}
}

// SetPropertyValue sets the value for a property, returning the old value.
func (e *Endpoint) SetPropertyValue(key string, value interface{}) interface{} {
	e.mutex.Lock()
	defer e.mutex.Unlock()
	old := e.properties[key]
	e.properties[key] = value
	return old
}

// isPropertyLocked reports a boolean property; e.mutex must be held.
func (e *Endpoint) isPropertyLocked(propertyKey string) bool {
	if v, ok := e.properties[propertyKey]; ok { // the racing read, without e.mutex when called from regenerateBPF's goroutine
		isSet, ok := v.(bool)
		return ok && isSet
	}
	return false
}

// IsProperty is isPropertyLocked under the read lock.
func (e *Endpoint) IsProperty(propertyKey string) bool {
	e.mutex.RLock()
	defer e.mutex.RUnlock()
	return e.isPropertyLocked(propertyKey)
}

func (e *Endpoint) scrubIPsInConntrackTable() {
	e.mutex.Lock()
	e.scrubbed++
	e.mutex.Unlock()
}

func (e *Endpoint) regenerateBPF(regenContext *regenerationContext) {
	datapathRegenCtxt := regenContext.datapathRegenerationContext
	datapathRegenCtxt.ctCleaned = make(chan struct{})

	// Wait for connection tracking cleaning to complete, in the background
	go func() {
		if !e.isPropertyLocked(PropertyFakeEndpoint) { // BUG: called with no lock held, from a new goroutine
			e.scrubIPsInConntrackTable()
		}
		close(datapathRegenCtxt.ctCleaned)
	}()

	<-datapathRegenCtxt.ctCleaned
}
