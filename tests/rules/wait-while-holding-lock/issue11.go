package wait_while_locked

import "sync"

// Look-alikes from real code (issue 11): the goroutine takes the lock for
// its Add and releases it before its Done (nats-server's monitor
// generations). A waiter that holds the lock and sees the count saw it
// after that Add, and the Done does not need the lock: silent.
type Monitor struct {
	mu sync.Mutex
	wg sync.WaitGroup
	n  int
}

func (m *Monitor) startWg() {
	m.mu.Lock()
	m.n++
	m.wg.Add(1)
	m.mu.Unlock()
}

func (m *Monitor) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.wg.Wait()
}

func (m *Monitor) Run() {
	go func() {
		m.startWg()
		m.wg.Done()
	}()
}

// The same with the Add written inline.
type Gen struct {
	mu sync.Mutex
	wg sync.WaitGroup
}

func (g *Gen) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.wg.Wait()
}

func (g *Gen) Run() {
	go func() {
		g.mu.Lock()
		g.wg.Add(1)
		g.mu.Unlock()
		g.wg.Done()
	}()
}

// Still reported: the goroutine holds the lock at its Done.
type Held struct {
	mu sync.Mutex
	wg sync.WaitGroup
	n  int
}

func (h *Held) startWg() {
	h.mu.Lock()
	h.wg.Add(1)
	h.mu.Unlock()
}

func (h *Held) Stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.wg.Wait() // want "this Wait on h.wg waits while holding h.mu \\(locked at line 70\\), but the goroutine that calls Done \\(issue11.go:80\\) must lock h.mu first"
}

func (h *Held) Run() {
	go func() {
		h.startWg()
		h.mu.Lock()
		h.n++
		h.wg.Done()
		h.mu.Unlock()
	}()
}
