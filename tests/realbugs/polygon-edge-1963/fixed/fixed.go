// Upstream: https://github.com/0xPolygon/polygon-edge/pull/1963 (fix: https://github.com/0xPolygon/polygon-edge/commit/71d2cb340)
// Project: 0xPolygon/polygon-edge (types/transaction.go)
// Fix: Copy sets the fields one by one and leaves size unset, so the copy
// computes its own (commit 71d2cb3).
package fixed

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
	tt.Nonce = t.Nonce
	tt.Gas = t.Gas

	if t.To != nil {
		newAddress := *t.To
		tt.To = &newAddress
	}

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
