package unsynchronized_write

// Shared state behind entry points that callers run concurrently (low
// confidence): a package variable initialised lazily with no sync.Once,
// and a field an observer callback swaps while request handlers read it.

import (
	"context"
	"sync"
)

type defaultsFiller struct{ tag string }

var filler *defaultsFiller

func SetDefaults(v any) string { return getFiller().tag }

func getFiller() *defaultsFiller {
	if filler == nil {
		filler = &defaultsFiller{tag: "default"} // want "package variable filler is initialised lazily here with no lock or sync.Once, in a function that exported API reaches"
	}
	return filler
}

// Fixed: sync.Once.
var (
	fillerOnce sync.Once
	filler2    *defaultsFiller
)

func SetDefaults2(v any) string {
	fillerOnce.Do(func() {
		if filler2 == nil {
			filler2 = &defaultsFiller{tag: "default"}
		}
	})
	return filler2.tag
}

// Look-alikes: under a lock; in init.
var (
	fillerMu sync.Mutex
	filler3  *defaultsFiller
	filler4  *defaultsFiller
)

func SetDefaults3(v any) string {
	fillerMu.Lock()
	defer fillerMu.Unlock()
	if filler3 == nil {
		filler3 = &defaultsFiller{tag: "default"}
	}
	return filler3.tag
}

func init() {
	if filler4 == nil {
		filler4 = &defaultsFiller{}
	}
}

type routingConfig struct{ host string }

type ExtProc struct {
	cfg *routingConfig
}

// OnConfigChange is registered with a file watcher.
func (s *ExtProc) OnConfigChange(_ context.Context, c *routingConfig) {
	s.cfg = c // want "s.cfg is written here, in the callback OnConfigChange \\(run by whatever goroutine notifies it\\), while the request handler Process reads it"
}

func (s *ExtProc) Process(_ context.Context, tool string) string {
	return s.cfg.host + "/" + tool
}

// Fixed: a mutex on both sides.
type LockedExtProc struct {
	mu  sync.RWMutex
	cfg *routingConfig
}

func (s *LockedExtProc) OnConfigChange(_ context.Context, c *routingConfig) {
	s.mu.Lock()
	s.cfg = c
	s.mu.Unlock()
}

func (s *LockedExtProc) Process(_ context.Context, tool string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg.host + "/" + tool
}

// Look-alike: the reader is no request handler.
type PlainProc struct {
	cfg *routingConfig
}

func (s *PlainProc) OnConfigChange(c *routingConfig) { s.cfg = c }

func (s *PlainProc) Host() string { return s.cfg.host }
