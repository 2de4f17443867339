package polygonedge1963

import (
	"math/big"
	"testing"
)

// The txpool measures transactions while the RPC side copies them.
func TestCopyWhileSizing(t *testing.T) {
	for round := 0; round < 5; round++ {
		copyWhileSizing(t)
	}
}

func copyWhileSizing(t *testing.T) {
	txs := make([]*Transaction, 2000)
	for i := range txs {
		txs[i] = &Transaction{Nonce: uint64(i), GasPrice: big.NewInt(1), Value: big.NewInt(2), Input: []byte{1, 2, 3}}
	}
	start, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		<-start
		for _, tx := range txs {
			_ = tx.Size()
		}
	}()
	close(start)
	for _, tx := range txs {
		if tx.Copy().Nonce != tx.Nonce {
			t.Fatal("bad copy")
		}
	}
	<-done
}
