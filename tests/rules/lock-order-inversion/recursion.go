package lock_order

import "sync"

// Mutual recursion is solved to a fixpoint: walk calls visit, which
// locks and calls walk again. Whichever of the two is analysed first, the
// call that closes the cycle sees the other's summary, so walk's callers
// see the lock visit takes.

type rcNode struct {
	kids []*rcNode
}

type rcTree struct {
	mu      sync.Mutex
	statsMu sync.Mutex
	visits  int
}

func (t *rcTree) walk(n *rcNode) {
	for _, c := range n.kids {
		t.visit(c)
	}
}

func (t *rcTree) visit(n *rcNode) {
	t.statsMu.Lock()
	t.visits++
	t.statsMu.Unlock()
	t.walk(n)
}

func (t *rcTree) scan(root *rcNode) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.walk(root) // want "t.statsMu is locked here while t.mu is held \\(locked at line 34\\), but recursion.go:42 locks them in the opposite order \\(t.statsMu, then t.mu\\)"
}

func (t *rcTree) stats() int {
	t.statsMu.Lock()
	defer t.statsMu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.visits
}

// Fixed twin: the same cycle, the two locks always taken mu first.
type rcTreeFixed struct {
	mu      sync.Mutex
	statsMu sync.Mutex
	visits  int
}

func (t *rcTreeFixed) walk(n *rcNode) {
	for _, c := range n.kids {
		t.visit(c)
	}
}

func (t *rcTreeFixed) visit(n *rcNode) {
	t.statsMu.Lock()
	t.visits++
	t.statsMu.Unlock()
	t.walk(n)
}

func (t *rcTreeFixed) scan(root *rcNode) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.walk(root)
}

func (t *rcTreeFixed) stats() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.statsMu.Lock()
	defer t.statsMu.Unlock()
	return t.visits
}

// Look-alike: the lock in the cycle is taken only when a bool parameter
// says so, and the caller that holds the other lock passes false.
type rcIndex struct {
	mu    sync.Mutex
	logMu sync.Mutex
	n     int
}

func (x *rcIndex) rebuild(n *rcNode, logged bool) {
	for _, c := range n.kids {
		x.rebuildOne(c, logged)
	}
}

func (x *rcIndex) rebuildOne(n *rcNode, logged bool) {
	if logged {
		x.logMu.Lock()
		x.n++
		x.logMu.Unlock()
	}
	x.rebuild(n, logged)
}

func (x *rcIndex) refresh(root *rcNode) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.rebuild(root, false)
}

func (x *rcIndex) count() int {
	x.logMu.Lock()
	defer x.logMu.Unlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.n
}
