package missing_unlock

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

var ErrNotFound = errors.New("not found")

// A lessor in the shape of etcd's: revoking an unknown lease returns early
// with the lock held, and every later Grant blocks.
type Lease struct{ ttl int64 }

type lessor struct {
	mu     sync.RWMutex
	leases map[int64]*Lease
}

func (le *lessor) Revoke(id int64) error {
	le.mu.Lock()
	l := le.leases[id]
	if l == nil {
		return ErrNotFound // want "le.mu \\(locked at line 24\\) is still held when this return is taken.*blocks forever$"
	}
	delete(le.leases, id)
	le.mu.Unlock()
	return nil
}

// A read lock leaked on a lookup miss (a shape seen in Kubernetes caches).
func (le *lessor) TTL(id int64) (int64, error) {
	le.mu.RLock()
	l, ok := le.leases[id]
	if !ok {
		return 0, fmt.Errorf("lease %d: %w", id, ErrNotFound) // want "le.mu .* still held when this return is taken"
	}
	le.mu.RUnlock()
	return l.ttl, nil
}

// One case of a switch forgets the unlock.
type state int

type machine struct {
	mu sync.Mutex
	st state
}

func (m *machine) Step(ev int) error {
	m.mu.Lock()
	switch ev {
	case 0:
		m.st = 1
	case 1:
		return errors.New("bad event") // want "m.mu .* still held when this return is taken"
	default:
		m.st = 2
	}
	m.mu.Unlock()
	return nil
}

// A package-level mutex.
var (
	regMu    sync.Mutex
	registry = map[string]int{}
)

func Register(name string, v int) error {
	regMu.Lock()
	if _, dup := registry[name]; dup {
		return fmt.Errorf("duplicate %q", name) // want "regMu .* still held when this return is taken"
	}
	registry[name] = v
	regMu.Unlock()
	return nil
}

// Inside a goroutine: the worker returns on error holding the lock, and
// every other worker blocks on it.
func Drain(m *machine, jobs <-chan int) {
	go func() {
		for j := range jobs {
			m.mu.Lock()
			if j < 0 {
				return // want "m.mu .* still held when this return is taken"
			}
			m.st = state(j)
			m.mu.Unlock()
		}
	}()
}

// A defer registered only after the early return.
func (le *lessor) Grant(id, ttl int64) error {
	le.mu.Lock()
	if ttl <= 0 {
		return errors.New("bad ttl") // want "le.mu .* still held when this return is taken"
	}
	defer le.mu.Unlock()
	le.leases[id] = &Lease{ttl}
	return nil
}

// ---- look-alikes that must stay silent ----

// Deferred unlock covers every return.
func (le *lessor) Lookup(id int64) (*Lease, error) {
	le.mu.RLock()
	defer le.mu.RUnlock()
	l := le.leases[id]
	if l == nil {
		return nil, ErrNotFound
	}
	return l, nil
}

// Unlocked before every return.
func (le *lessor) Has(id int64) bool {
	le.mu.RLock()
	if le.leases == nil {
		le.mu.RUnlock()
		return false
	}
	_, ok := le.leases[id]
	le.mu.RUnlock()
	return ok
}

// A conditional acquire: returning with the lock held on success is the
// contract (the last return holds it).
func (m *machine) enterIfIdle() bool {
	m.mu.Lock()
	if m.st != 0 {
		m.mu.Unlock()
		return false
	}
	return true
}

// The name says it returns holding the lock.
func (m *machine) lockAndGet() state {
	m.mu.Lock()
	if m.st == 0 {
		return 0
	}
	s := m.st
	m.mu.Unlock()
	return s
}

// acquire returns with m.mu held when ok is true; the caller releases it.
func (m *machine) acquire(want state) (ok bool) {
	m.mu.Lock()
	if m.st == want {
		return true
	}
	m.mu.Unlock()
	return false
}

// Correlated conditions: locked and unlocked under the same flag.
func (m *machine) Maybe(shared bool) {
	if shared {
		m.mu.Lock()
	}
	m.st++
	if shared {
		m.mu.Unlock()
	}
}

// The lock is handed to a goroutine that releases it.
func (m *machine) Handoff(done chan struct{}) error {
	m.mu.Lock()
	if done == nil {
		go func() {
			defer m.mu.Unlock()
			m.st = 0
		}()
		return nil
	}
	m.mu.Unlock()
	return nil
}

// TryLock: held on one branch only.
func (m *machine) Poke() bool {
	if !m.mu.TryLock() {
		return false
	}
	m.st++
	m.mu.Unlock()
	return true
}

// A panic or os.Exit path ends the goroutine or the program.
func (m *machine) Must(ev int) {
	m.mu.Lock()
	if ev < 0 {
		panic("negative event")
	}
	if ev > 100 {
		fmt.Println("fatal")
		os.Exit(1)
	}
	m.st = state(ev)
	m.mu.Unlock()
}

// The mutex's address is passed on: someone else may unlock it.
func (m *machine) Wait(unlockLater func(*sync.Mutex)) error {
	m.mu.Lock()
	if m.st == 0 {
		unlockLater(&m.mu)
		return nil
	}
	m.mu.Unlock()
	return nil
}

// Unknown type: a sync.Locker interface.
func Guard(l sync.Locker, ok bool) error {
	l.Lock()
	if !ok {
		return errors.New("no")
	}
	l.Unlock()
	return nil
}

// A local type named Mutex is not sync.Mutex.
type Mutex struct{ n int }

func (m *Mutex) Lock()   { m.n++ }
func (m *Mutex) Unlock() { m.n-- }

func Count(m *Mutex, ok bool) error {
	m.Lock()
	if !ok {
		return errors.New("no")
	}
	m.Unlock()
	return nil
}

// A lock released through a same-package helper on the error path.
func (m *machine) unlockAndFail(err error) error {
	m.mu.Unlock()
	return err
}

func (m *machine) Apply(ev int) error {
	m.mu.Lock()
	if ev < 0 {
		return m.unlockAndFail(errors.New("negative"))
	}
	m.st = state(ev)
	m.mu.Unlock()
	return nil
}
