package gouroboros488

import (
	"net"
	"testing"
)

// The peer keeps sending while the protocols register with the muxer.
func TestRegisterWhileReading(t *testing.T) {
	local, remote := net.Pipe()
	m := New(local)
	stop := make(chan struct{})
	sent, first := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sent)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := remote.Write([]byte{0, byte(i % 8), 0}); err != nil {
				return
			}
			if i == 0 {
				close(first)
			}
		}
	}()
	<-first // readLoop is running
	for i := 0; i < 20000; i++ {
		m.RegisterProtocol(uint16(i%64), ProtocolRoleResponder)
	}
	close(stop)
	m.Stop()
	_ = remote.Close()
	<-sent
}
