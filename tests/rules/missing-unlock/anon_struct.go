package missing_unlock

import "sync"

// A mutex embedded in an unnamed struct field (`mu struct{ sync.Mutex; n
// int }`, the lock grouped with the fields it guards) is a lock like a
// plain sync.Mutex field: s.mu.Lock() locks s.mu.

type anonCounter struct {
	mu struct {
		sync.Mutex
		n int
	}
	rw struct {
		sync.RWMutex
		m map[string]int
	}
}

func (c *anonCounter) add(d int) error {
	c.mu.Lock()
	if d < 0 {
		return ErrNotFound // want "c.mu \\(locked at line 21\\) is still held when this return is taken.*blocks forever$"
	}
	c.mu.n += d
	c.mu.Unlock()
	return nil
}

func (c *anonCounter) get(k string) (int, bool) {
	c.rw.RLock()
	v, ok := c.rw.m[k]
	if !ok {
		return 0, false // want "c.rw \\(locked at line 31\\) is still held when this return is taken"
	}
	c.rw.RUnlock()
	return v, true
}

// The fixed twins: released on every path.
func (c *anonCounter) addFixed(d int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d < 0 {
		return ErrNotFound
	}
	c.mu.n += d
	return nil
}

func (c *anonCounter) getFixed(k string) (int, bool) {
	c.rw.RLock()
	v, ok := c.rw.m[k]
	c.rw.RUnlock()
	if !ok {
		return 0, false
	}
	return v, true
}

// Look-alike: a struct field that merely holds a counter and a named
// mutex field is no embedded lock; the field's own Lock is tracked as usual.
type anonHolder struct {
	st struct {
		mu sync.Mutex
		n  int
	}
}

func (h *anonHolder) bump() {
	h.st.mu.Lock()
	h.st.n++
	h.st.mu.Unlock()
}

// A package variable of an unnamed struct type with an embedded lock.
var anonRegistry struct {
	sync.Mutex
	names []string
}

func anonRegister(name string) error {
	anonRegistry.Lock()
	if name == "" {
		return ErrNotFound // want "anonRegistry \\(locked at line 83\\) is still held"
	}
	anonRegistry.names = append(anonRegistry.names, name)
	anonRegistry.Unlock()
	return nil
}
