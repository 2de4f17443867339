package sync_value_copied

// go vet's copylocks convention, in godark's words: every type whose
// pointer has Lock and Unlock (and whose value has not), sync.Pool and
// sync.Map, and copies made by composite literals, call arguments,
// conversions, channel sends, comma-ok reads and map or channel ranges.
// Each bad case has a fixed twin or a silent look-alike next to it.

import (
	"fmt"
	"sync"
	"unsafe"
)

// A marker that asks vet (and godark) to refuse copies of its holder.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

type Session struct {
	_     noCopy
	token string
}

func useSession(s Session) string { return s.token } // want "parameter s passes lock by value: Session contains noCopy"

func useSessionPtr(s *Session) string { return s.token }

// A spin lock keeps its state in the value: copying it copies the state.
type SpinLock struct{ state int32 }

func (l *SpinLock) Lock()   {}
func (l *SpinLock) Unlock() {}

func (l SpinLock) Held() bool { return l.state != 0 } // want "method Held has a value receiver that copies the lock: SpinLock"

func (l *SpinLock) HeldPtr() bool { return l.state != 0 }

// A lock whose state lives behind a pointer: the copy locks the same
// thing, so a copy is reported at low confidence only.
type fileLock struct{ path *string }

func (l *fileLock) Lock()   {}
func (l *fileLock) Unlock() {}

func describe(l fileLock) string { return *l.path } // want "parameter l passes lock by value: fileLock.*\\[low confidence\\]"

// Lock and Unlock on the value receiver: the value is a handle (sync.Locker
// by value), copying it is how it is meant to be used.
type handle struct{ mu *sync.Mutex }

func (h handle) Lock()   { h.mu.Lock() }
func (h handle) Unlock() { h.mu.Unlock() }

func withHandle(h handle) { h.Lock(); h.Unlock() }

// sync.Pool and sync.Map.
func drain(p sync.Pool) {} // want "parameter p passes lock by value: sync.Pool; the copy has its own per-processor caches"

func drainPtr(p *sync.Pool) {}

var visit = func(m sync.Map) {} // want "parameter m passes lock by value: sync.Map"

type registry struct {
	entries sync.Map
}

func snapshot(r *registry) int {
	copyOf := *r // want "assignment to copyOf copies lock value \\*r: registry contains sync.Map"
	n := 0
	copyOf.entries.Range(func(k, v any) bool { n++; return true })
	return n
}

// Composite literals that copy an existing lock.
type Guarded struct {
	mu    sync.Mutex
	value int
}

type Pair struct {
	a, b Guarded
}

func pairs(g *Guarded, all map[string]Guarded) []Guarded {
	p := Pair{a: *g} // want "composite literal element copies lock value \\*g: Guarded contains sync.Mutex"
	_ = p
	list := []Guarded{*g, all["x"]} // want "composite literal element copies lock value \\*g" "composite literal element copies lock value all\\[\"x\"\\]"
	byName := map[string]Guarded{"y": all["y"]} // want "composite literal element copies lock value all\\[\"y\"\\]"
	_ = byName
	// Fresh values are not copies of a lock in use.
	fresh := []Guarded{{value: 1}, Guarded{}}
	_ = fresh
	ptrs := []*Guarded{g}
	_ = ptrs
	return list
}

// Call arguments and conversions.
type Shadow Guarded

func logState(g *Guarded, show func(any)) {
	fmt.Println(*g) // want "call of fmt.Println copies lock value \\*g: Guarded contains sync.Mutex"
	show(*g)        // want "call of show copies lock value \\*g"
	s := Shadow(*g) // want "call of Shadow copies lock value \\*g"
	_ = s
	fmt.Println(g, g.value) // a pointer and a plain field: silent
	var all [3]Guarded
	_ = len(all)              // only the type: silent
	_ = unsafe.Sizeof(all[0]) // only the type: silent
	_ = new(Guarded)
	_ = make([]Guarded, 2)
}

// Channel sends and receives.
func relay(in chan Guarded, out chan Guarded, g *Guarded) {
	out <- *g // want "send on out copies lock value \\*g"
	v, ok := <-in // want "assignment to v copies lock value <-in"
	_, _ = v, ok
	out <- Guarded{value: 2} // a fresh value: silent
	for w := range in { // want "range variable w copies lock value: Guarded contains sync.Mutex"
		_ = w.value
	}
	ptrs := make(chan *Guarded)
	for w := range ptrs {
		_ = w.value
	}
}

// Comma-ok reads and map keys.
func lookup(m map[string]Guarded, byLock map[sync.Mutex]int) int {
	g, ok := m["k"] // want "assignment to g copies lock value m\\[\"k\"\\]"
	if !ok {
		return 0
	}
	for k := range byLock { // want "range variable k copies lock value: sync.Mutex"
		_ = k
	}
	for _, n := range byLock {
		_ = n
	}
	_, present := m["k"]
	_ = present
	return g.value
}

// A field of a fresh literal is a copy of a zero lock: low.
func zeroField() {
	logAny(Guarded{}.mu) // want "call of logAny copies lock value Guarded\\{\\}.mu: sync.Mutex.*\\[low confidence\\]"
}

func logAny(any) {}

// Type parameters constrained to one lock type.
func byValue[L sync.Mutex](l L) {} // want "parameter l passes lock by value: sync.Mutex"

func byApprox[G interface {
	~struct{ mu sync.Mutex }
	Name() string
}](g G) { // want "parameter g passes lock by value"
}

func byPointer[P *sync.Mutex](p P) {}

func anyOf[T any](t T) {}

func unionOf[T sync.Mutex | int](t T) {} // a union: no one type, silent

func swapInto[L sync.Mutex](dst, src *L) {
	*dst = *src // want "assignment to \\*dst copies lock value \\*src: sync.Mutex"
	dst = src   // pointers: silent
}

// new(v) copies v (Go 1.26's new(expr), or a local func named new).
func clone(g *Guarded) *Guarded {
	return new(*g) // want "call of new copies lock value \\*g: Guarded contains sync.Mutex"
}

func cloneLocal(g Guarded) { // want "parameter g passes lock by value"
	new := func(any) {}
	new(g) // want "call of new copies lock value g"
}

// A type declared inside the function.
func localTypes(names []string) int {
	type slot struct {
		mu    sync.Mutex
		count int
	}
	slots := map[string]slot{}
	s, ok := slots["a"] // want "assignment to s copies lock value slots\\[\"a\"\\]: slot contains sync.Mutex"
	if ok {
		return s.count
	}
	for _, v := range slots { // want "range variable v copies lock value: slot contains sync.Mutex"
		_ = v
	}
	type plain struct{ count int }
	counts := map[string]plain{}
	c := counts["a"] // no lock: silent
	return c.count
}
