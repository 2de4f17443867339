// Upstream: https://github.com/hashicorp/vault/pull/10877 (issue: https://github.com/hashicorp/vault/issues/10876)
// Project: hashicorp/vault
// Bug: pathEntityMergeID opens a MemDB write transaction (which holds the
// MemDB writer lock until Commit/Abort) and then calls mergeEntity with
// grabLock=true, which takes the IdentityStore lock. Every other identity
// write path takes i.lock first and opens the write transaction second.
// An entity merge concurrent with an entity upsert: each holds one lock and
// waits for the other, and the identity store hangs.
// Kind: deadlock
// Want: GD405
package vault10877

import (
	"context"
	"errors"
	"sync"
)

// MemDB stands in for go-memdb: one writer at a time.
type MemDB struct {
	writer sync.Mutex
	tables map[string]map[string]*Entity
}

type Txn struct {
	db    *MemDB
	write bool
	done  bool
}

func (db *MemDB) Txn(write bool) *Txn {
	if write {
		db.writer.Lock()
	}
	return &Txn{db: db, write: write}
}

func (t *Txn) Abort() {
	if t.done {
		return
	}
	t.done = true
	if t.write {
		t.db.writer.Unlock()
	}
}

func (t *Txn) Commit() {
	if t.done {
		return
	}
	t.done = true
	if t.write {
		t.db.writer.Unlock()
	}
}

type Entity struct {
	ID      string
	Aliases []string
}

type IdentityStore struct {
	lock sync.RWMutex
	db   *MemDB
}

func (i *IdentityStore) mergeEntity(ctx context.Context, txn *Txn, toEntity *Entity, fromEntityIDs []string, grabLock bool) error {
	if grabLock {
		i.lock.Lock()
		defer i.lock.Unlock()
	}
	for _, id := range fromEntityIDs {
		from := txn.db.tables["entities"][id]
		if from == nil {
			return errors.New("entity id to merge from is invalid")
		}
		toEntity.Aliases = append(toEntity.Aliases, from.Aliases...)
		delete(txn.db.tables["entities"], id)
	}
	return nil
}

// pathEntityMergeID merges two or more entities into a single entity.
func (i *IdentityStore) pathEntityMergeID(ctx context.Context, toEntityID string, fromEntityIDs []string) error {
	// Create a MemDB transaction to merge entities
	txn := i.db.Txn(true)
	defer txn.Abort()

	toEntity := txn.db.tables["entities"][toEntityID]
	if toEntity == nil {
		return errors.New("entity id to merge to is invalid")
	}
	if err := i.mergeEntity(ctx, txn, toEntity, fromEntityIDs, true); err != nil { // BUG: takes i.lock while the MemDB write txn is open; upsertEntity takes i.lock first
		return err
	}
	txn.Commit()
	return nil
}

// upsertEntity is the order every other writer uses: i.lock, then the txn.
func (i *IdentityStore) upsertEntity(ctx context.Context, e *Entity) {
	i.lock.Lock()
	defer i.lock.Unlock()
	txn := i.db.Txn(true)
	defer txn.Abort()
	txn.db.tables["entities"][e.ID] = e
	txn.Commit()
}

func handle(i *IdentityStore, merges <-chan []string, upserts <-chan *Entity) {
	go func() {
		for e := range upserts {
			i.upsertEntity(context.Background(), e)
		}
	}()
	for ids := range merges {
		_ = i.pathEntityMergeID(context.Background(), ids[0], ids[1:])
	}
}
