// Upstream: https://github.com/0xPolygon/polygon-edge/pull/1963 (fix: https://github.com/0xPolygon/polygon-edge/commit/71d2cb340)
// Project: 0xPolygon/polygon-edge (types/transaction.go)
// Bug: Transaction caches its encoded size in `size atomic.Pointer[uint64]`,
// stored by the first Size() call. Copy() duplicates the transaction with
// `*tt = *t`, a plain read of the whole struct, size included: a Copy (the
// txpool and the RPC copy transactions) concurrent with the first Size() of
// the same transaction is a data race on size, which the PR removed while
// reviving -race in CI (go vet's copylocks also flags the copy).
// Kind: race
// Want: GD401
package polygonedge1963

import (
	"math/big"
	"sync/atomic"
)

type Address [20]byte

type Transaction struct {
	Nonce    uint64
	GasPrice *big.Int
	Gas      uint64
	To       *Address
	Value    *big.Int
	Input    []byte

	size atomic.Pointer[uint64]
}

// Copy returns a deep copy of the transaction.
func (t *Transaction) Copy() *Transaction {
	tt := new(Transaction)
	*tt = *t // BUG: plain read of t.size, which Size() stores atomically

	tt.GasPrice = new(big.Int)
	if t.GasPrice != nil {
		tt.GasPrice.Set(t.GasPrice)
	}

	tt.Value = new(big.Int)
	if t.Value != nil {
		tt.Value.Set(t.Value)
	}

	tt.Input = make([]byte, len(t.Input))
	copy(tt.Input[:], t.Input[:])

	return tt
}

// MarshalRLP stands for the RLP encoding; only its length matters here.
func (t *Transaction) MarshalRLP() []byte {
	return make([]byte, 8+8+len(t.Input))
}

// Size returns the size of the RLP-encoded transaction, computed once.
func (t *Transaction) Size() uint64 {
	if size := t.size.Load(); size != nil {
		return *size
	}

	size := uint64(len(t.MarshalRLP()))
	t.size.Store(&size)

	return size
}
