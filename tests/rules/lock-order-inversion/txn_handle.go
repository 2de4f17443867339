package lock_order

// A lock taken by a constructor only when a bool parameter says so and
// kept until the handle it returns is released (go-memdb's Txn(true)
// holds the writer lock until Commit or Abort; hashicorp/vault#10877).

import "sync"

type TxDB struct {
	writer sync.Mutex
	rows   map[string]int
}

type Tx struct {
	db    *TxDB
	write bool
}

func (db *TxDB) Begin(write bool) *Tx {
	if write {
		db.writer.Lock()
	}
	return &Tx{db: db, write: write}
}

func (t *Tx) End() {
	if t.write {
		t.db.writer.Unlock()
	}
}

type Directory struct {
	lock sync.Mutex
	db   *TxDB
	n    int
}

func (d *Directory) count() {
	d.lock.Lock()
	d.n++
	d.lock.Unlock()
}

// Merge opens a write transaction, then takes d.lock.
func (d *Directory) Merge() {
	tx := d.db.Begin(true)
	defer tx.End()
	d.count() // want "d.lock is locked here while d.db.writer is held.*opposite order"
}

// Upsert takes d.lock, then opens a write transaction.
func (d *Directory) Upsert(k string) {
	d.lock.Lock()
	defer d.lock.Unlock()
	tx := d.db.Begin(true)
	tx.db.rows[k]++
	tx.End()
}

// A read transaction takes no lock: silent.
func (d *Directory) Lookup(k string) int {
	tx := d.db.Begin(false)
	defer tx.End()
	d.count()
	return tx.db.rows[k]
}
