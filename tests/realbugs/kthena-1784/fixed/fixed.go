// Upstream: https://github.com/volcano-sh/kthena/pull/1784
// Project: volcano-sh/kthena (pkg/kthena-router/datastore)
// Fix: an RWMutex guards the callbacks map; triggerCallbacks copies the
// slice out under the read lock before starting the callbacks (PR 1784).
package fixed

import "sync"

type EventType string

const EventDelete EventType = "delete"

// EventData is what a callback receives.
type EventData struct {
	EventType EventType
	Pod       string
}

type CallbackFunc func(data EventData)

type store struct {
	mu          sync.RWMutex
	pods        map[string]bool
	callbacksMu sync.RWMutex
	callbacks   map[string][]CallbackFunc
}

func New() *store {
	return &store{pods: map[string]bool{}, callbacks: map[string][]CallbackFunc{}}
}

// RegisterCallback registers a callback for an object kind.
func (s *store) RegisterCallback(kind string, callback CallbackFunc) {
	s.callbacksMu.Lock()
	s.callbacks[kind] = append(s.callbacks[kind], callback)
	s.callbacksMu.Unlock()
}

func (s *store) triggerCallbacks(kind string, data EventData) {
	s.callbacksMu.RLock()
	callbacks := append([]CallbackFunc(nil), s.callbacks[kind]...)
	s.callbacksMu.RUnlock()
	if len(callbacks) > 0 {
		for _, callback := range callbacks {
			go callback(data)
		}
	}
}

// AddPod records a pod (controller workers).
func (s *store) AddPod(name string) {
	s.mu.Lock()
	s.pods[name] = true
	s.mu.Unlock()
}

// DeletePod forgets a pod and tells the callbacks (controller workers).
func (s *store) DeletePod(name string) {
	s.mu.Lock()
	delete(s.pods, name)
	s.mu.Unlock()
	s.triggerCallbacks("Pod", EventData{EventType: EventDelete, Pod: name})
}
