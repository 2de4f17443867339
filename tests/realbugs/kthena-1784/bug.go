// Upstream: https://github.com/volcano-sh/kthena/pull/1784
// Project: volcano-sh/kthena (pkg/kthena-router/datastore)
// Bug: the datastore keeps event callbacks in a map that RegisterCallback
// fills and triggerCallbacks reads, without a lock: the comment said
// callbacks are registered only while bootstrapping, but the router
// registers the Gateway callback after the controller workers are running,
// and every worker's DeletePod reads the map. The late write races the
// reads ("concurrent map read and map write" can kill the router).
// Kind: race
// Want: GD602
package kthena1784

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
	mu        sync.RWMutex
	pods      map[string]bool
	callbacks map[string][]CallbackFunc
}

func New() *store {
	return &store{pods: map[string]bool{}, callbacks: map[string][]CallbackFunc{}}
}

// RegisterCallback registers a callback for an object kind.
func (s *store) RegisterCallback(kind string, callback CallbackFunc) {
	s.callbacks[kind] = append(s.callbacks[kind], callback) // BUG: workers read the map in triggerCallbacks meanwhile
}

func (s *store) triggerCallbacks(kind string, data EventData) {
	if callbacks, ok := s.callbacks[kind]; ok {
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
