package diago181

import (
	"runtime"
	"testing"
	"time"
)

// The application swaps the RTCP interceptors while the monitor
// goroutines are processing packets.
func TestReplaceInterceptorWhileMonitoring(t *testing.T) {
	s := NewRTPSession()
	s.MonitorBackground(time.Millisecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 2000; i++ {
			s.Deliver(&SenderReport{SSRC: uint32(i)})
		}
	}()
	for {
		select {
		case <-done:
			s.Close()
			return
		default:
		}
		// The interceptors log, and yield while doing it.
		s.OnReadRTCP(func(pkt Packet, rtpStats RTPReadStats) { runtime.Gosched() })
		s.OnWriteRTCP(func(pkt Packet, rtpStats RTPWriteStats) { runtime.Gosched() })
	}
}
