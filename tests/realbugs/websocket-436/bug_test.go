package websocket436

import (
	"context"
	"testing"
)

// A read times out while the application closes the connection.
func TestCloseNowWhileReadTimesOut(t *testing.T) {
	for i := 0; i < 500; i++ {
		c := newConn()
		ctx, cancel := context.WithCancel(context.Background())
		c.setupReadTimeout(ctx)
		cancel()
		_ = c.CloseNow()
		<-c.timeoutLoopDone
	}
}
