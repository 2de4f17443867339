package double_lock

// Calls through function values (issue 18): a func-typed field, an
// element of a map or slice of funcs, a func parameter of an unexported
// function, a local holding a method value or a func literal. A set of
// one function, closed, is a sure call of it; a field the package sets to
// several functions gives "may" calls (medium at most); an exported field
// or a set with values godark cannot name stays low.

import "sync"

type Bus struct {
	mu     sync.Mutex
	subs   []int
	notify func()
}

func NewBus() *Bus {
	b := &Bus{}
	b.notify = b.count
	return b
}

func (b *Bus) count() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = len(b.subs)
}

func (b *Bus) Publish(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, n)
	b.notify() // want "b.notify \\(Bus.count\\) locks it again, and b.mu is already held here"
}

// A closure stored in the constructor that locks the holder's mutex.
type Ticker struct {
	mu   sync.Mutex
	n    int
	tick func()
}

func NewTicker() *Ticker {
	t := &Ticker{}
	t.tick = func() {
		t.mu.Lock()
		t.n++
		t.mu.Unlock()
	}
	return t
}

func (t *Ticker) Run() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tick() // want "t.tick \\(the func literal at line 46\\) locks it again"
}

// A field set to one of two methods: one of them locks (a may-call).
type Picker struct {
	mu   sync.Mutex
	subs []int
	pick func()
}

func NewPicker(fast bool) *Picker {
	p := &Picker{}
	if fast {
		p.pick = p.size
	} else {
		p.pick = p.locked
	}
	return p
}

func (p *Picker) size() { _ = len(p.subs) }

func (p *Picker) locked() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = len(p.subs)
}

func (p *Picker) Do() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pick() // want "p.pick locks it again \\(one of the functions this value may hold\\)"
}

// Handlers in a map, called under the lock.
type Router struct {
	mu       sync.Mutex
	routes   map[string]int
	handlers map[string]func(string)
}

func NewRouter() *Router {
	r := &Router{routes: map[string]int{}, handlers: map[string]func(string){}}
	r.handlers["add"] = r.add
	return r
}

func (r *Router) add(name string) {
	r.mu.Lock()
	r.routes[name]++
	r.mu.Unlock()
}

func (r *Router) Dispatch(kind, name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.handlers[kind]; ok {
		h(name) // want "h \\(Router.add\\) locks it again"
	}
}

// A func parameter of an unexported method: every caller passes a method
// that locks the lock each holds while calling it.
type KV struct {
	mu    sync.Mutex
	items map[string]int
}

func (s *KV) remove(k string) {
	s.mu.Lock()
	delete(s.items, k)
	s.mu.Unlock()
}

func (s *KV) each(f func(string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.items {
		f(k) // want "f \\(KV.remove\\) locks it again"
	}
}

func (s *KV) Purge() { s.each(s.remove) }

// A local holding a method value.
func (s *KV) Drop(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.remove
	rm(k) // want "rm \\(KV.remove\\) locks it again"
}

// A local func literal that locks, called while the lock is held.
func (s *KV) Reset() {
	clear := func() {
		s.mu.Lock()
		s.items = map[string]int{}
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	clear() // want "clear \\(the func literal at line 151\\) locks it again"
}

// The same literal called after the unlock: silent.
func (s *KV) ResetLater() {
	clear := func() {
		s.mu.Lock()
		s.items = map[string]int{}
		s.mu.Unlock()
	}
	s.mu.Lock()
	s.items = nil
	s.mu.Unlock()
	clear()
}

// An exported hook: code outside the package may set it to anything, so
// the one locking method the package stores there stays low.
type Hooked struct {
	mu     sync.Mutex
	OnSend func()
}

func NewHooked() *Hooked {
	h := &Hooked{}
	h.OnSend = h.locked
	return h
}

func (h *Hooked) locked() {
	h.mu.Lock()
	h.mu.Unlock()
}

func (h *Hooked) Send() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.OnSend() // want "h.OnSend locks it again \\(one of the functions this value may hold\\).*\\[low confidence\\]"
}

// Look-alikes, silent: the callback takes no lock; a closure set in the
// constructor that takes another lock; a method value bound to another
// object; a parameter whose callers pass functions that take no lock; the
// callback called after the unlock.
type QuietBus struct {
	mu     sync.Mutex
	other  sync.Mutex
	subs   []int
	notify func()
	tick   func()
	peer   *QuietBus
	relay  func()
}

func NewQuietBus(peer *QuietBus) *QuietBus {
	b := &QuietBus{peer: peer}
	b.notify = b.size
	b.tick = func() { b.other.Lock(); b.other.Unlock() }
	b.relay = peer.locked
	return b
}

func (b *QuietBus) size() { _ = len(b.subs) }

func (b *QuietBus) locked() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = len(b.subs)
}

func (b *QuietBus) visit(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f()
}

func (b *QuietBus) Publish(n int) {
	b.mu.Lock()
	b.subs = append(b.subs, n)
	b.notify()
	b.tick()
	b.relay()
	b.mu.Unlock()
	b.visit(b.size)
	b.visit(func() { _ = n })
	b.tick()
}
