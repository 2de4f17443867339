package goredis3966

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"
)

// provider answers like a credentials provider across the network: slowly.
type provider struct{}

func (provider) Subscribe(uint64) (string, string, func() error, error) {
	time.Sleep(2 * time.Millisecond)
	return "user", "pass", func() error { return nil }, nil
}

// A handoff re-initialises a pooled connection while the pool closes it.
func TestCloseWhileReinit(t *testing.T) {
	c := &baseClient{credentials: provider{}}
	for i := 0; i < 20; i++ {
		c1, c2 := net.Pipe()
		cn := NewConn(c1)
		cn.SetInitConnFunc(c.createInitConnFunc())

		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			_ = cn.SetNetConnAndInitConn(context.Background(), c1)
		}()
		go func() {
			defer wg.Done()
			time.Sleep(time.Millisecond) // the pool shuts down mid-init
			_ = cn.Close()
		}()
		wg.Wait()
		_ = c2.Close()
	}
}
