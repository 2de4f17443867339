package double_lock

// Two write transactions one after the other: the first is released by
// End, whose Unlock depends on a field (`if t.write`), so the writer lock a
// transaction holds is known by class only and never judged as taken
// twice: silent.

import "sync"

type TxStore struct {
	writer sync.Mutex
	rows   map[string]int
}

type StoreTx struct {
	s     *TxStore
	write bool
}

func (s *TxStore) Begin(write bool) *StoreTx {
	if write {
		s.writer.Lock()
	}
	return &StoreTx{s: s, write: write}
}

func (t *StoreTx) End() {
	if t.write {
		t.s.writer.Unlock()
	}
}

func (s *TxStore) Swap(a, b string) {
	tx := s.Begin(true)
	s.rows[a], s.rows[b] = s.rows[b], s.rows[a]
	tx.End()
	tx2 := s.Begin(true)
	s.rows[a]++
	tx2.End()
}
