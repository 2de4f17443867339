package double_lock

// sync.Once.Do holds the Once's mutex while the function runs: a Do on
// the same Once from inside that function (directly or through calls)
// waits for itself.

import (
	"os"
	"sync"
)

var (
	initLog sync.Once
	logPath string
)

func logger() string {
	initLog.Do(func() {
		if p := os.Getenv("LOG_FILE"); p != "" {
			setLogFile(p) // want "setLogFile calls initLog.Do again while the Do that runs it has not returned.*\\[low confidence\\]"
		}
	})
	return logPath
}

func setLogFile(p string) {
	_ = logger()
	logPath = p
}

type Conf struct {
	once sync.Once
	mu   sync.Mutex
	vals map[string]string
}

func (c *Conf) load() {
	c.once.Do(func() {
		c.once.Do(c.fill) // want "c.once.Do \\(Conf.fill\\) calls c.once.Do again while the Do that runs it has not returned"
	})
}

func (c *Conf) fill() {
	c.mu.Lock()
	c.vals = map[string]string{}
	c.mu.Unlock()
}

// The function Do runs takes a lock the caller holds.
func (c *Conf) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.once.Do(c.fill) // want "c.once.Do \\(Conf.fill\\) locks it again, and c.mu is already held here"
	return c.vals[k]
}

// Fixed twins and look-alikes, silent: the Once's function sets the path
// without going back through the getter; two Do calls one after the
// other; Do before the lock.
var (
	initLog2 sync.Once
	logPath2 string
)

func logger2() string {
	initLog2.Do(func() {
		if p := os.Getenv("LOG_FILE"); p != "" {
			logPath2 = p
		}
	})
	return logPath2
}

func (c *Conf) Reload() {
	c.once.Do(c.fill)
	c.once.Do(c.fill)
}

func (c *Conf) Lookup(k string) string {
	c.once.Do(c.fill)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.vals[k]
}

// Standard functions that call their func argument before returning:
// sync.Map's Range, sort.Slice.
type NameSet struct {
	mu    sync.Mutex
	m     sync.Map
	names []string
}

func (r *NameSet) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.names)
}

func (r *NameSet) Dump() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m.Range(func(k, v any) bool {
		return r.count() > 0 // want "r.count locks it again, and r.mu is already held here"
	})
}

func (r *NameSet) DumpUnlocked() {
	r.m.Range(func(k, v any) bool {
		return r.count() > 0
	})
}
