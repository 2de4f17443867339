// Upstream: https://github.com/emiago/diago/issues/181
// Project: emiago/diago (media/rtp_session.go)
// Bug: RTPSession keeps two RTCP interceptors in function-typed fields,
// onReadRTCP and onWriteRTCP, defaulted in NewRTPSession and replaced by
// the exported setters OnReadRTCP/OnWriteRTCP under rtcpMU. The monitor
// goroutines (started by MonitorBackground) check the field under rtcpMU,
// unlock so the callback runs without the lock, and then read the field a
// second time to call it. A concurrent OnReadRTCP(f) races that second
// read (`go test -race` reported it in readRTCPPacket and writeRTCP), and
// OnReadRTCP(nil) between the check and the call is a nil func call. The
// marked line is the setter's write (where the race is reported); the
// repair changes the unlocked read in readRTCPPacket (and writeRTCP).
// Kind: race
// Want: GD601
package diago181

import (
	"sync"
	"time"
)

// Packet stands in for rtcp.Packet.
type Packet interface{ DestinationSSRC() []uint32 }

type SenderReport struct{ SSRC uint32 }

func (r *SenderReport) DestinationSSRC() []uint32 { return []uint32{r.SSRC} }

type RTPReadStats struct {
	SSRC                uint32
	lastSenderReportNTP uint64
}

type RTPWriteStats struct {
	SSRC         uint32
	PacketsCount uint64
}

// DefaultOnReadRTCP and DefaultOnWriteRTCP are the global interceptors.
var (
	DefaultOnReadRTCP  = func(pkt Packet, rtpStats RTPReadStats) {}
	DefaultOnWriteRTCP = func(pkt Packet, rtpStats RTPWriteStats) {}
)

type RTPSession struct {
	rtcpMU sync.Mutex
	// All below fields should not be updated without rtcpMU Lock
	rtcpClosed chan struct{}
	monitorWG  sync.WaitGroup
	readStats  RTPReadStats
	writeStats RTPWriteStats
	closed     bool

	// Reading and writing RTCP can be intercepted.
	onReadRTCP  func(pkt Packet, rtpStats RTPReadStats)
	onWriteRTCP func(pkt Packet, rtpStats RTPWriteStats)

	// incoming stands in for the RTCP connection.
	incoming chan Packet
	sent     []Packet
}

func NewRTPSession() *RTPSession {
	return &RTPSession{
		rtcpClosed:  make(chan struct{}),
		onReadRTCP:  DefaultOnReadRTCP,
		onWriteRTCP: DefaultOnWriteRTCP,
		incoming:    make(chan Packet),
	}
}

func (s *RTPSession) OnReadRTCP(f func(pkt Packet, rtpStats RTPReadStats)) {
	s.rtcpMU.Lock()
	defer s.rtcpMU.Unlock()
	s.onReadRTCP = f // BUG: readRTCPPacket re-reads the field to call it after unlocking rtcpMU
}

func (s *RTPSession) OnWriteRTCP(f func(pkt Packet, rtpStats RTPWriteStats)) {
	s.rtcpMU.Lock()
	defer s.rtcpMU.Unlock()
	s.onWriteRTCP = f
}

// MonitorBackground starts the RTCP reader and the periodic RTCP writer.
func (s *RTPSession) MonitorBackground(interval time.Duration) {
	s.monitorWG.Add(2)
	go func() {
		defer s.monitorWG.Done()
		s.readRTCP()
	}()
	go func() {
		defer s.monitorWG.Done()
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-s.rtcpClosed:
				return
			case now := <-ticker.C:
				s.writeRTCP(now)
			}
		}
	}()
}

// Deliver hands the session one RTCP packet, as the network would.
func (s *RTPSession) Deliver(pkt Packet) bool {
	select {
	case s.incoming <- pkt:
		return true
	case <-s.rtcpClosed:
		return false
	}
}

func (s *RTPSession) Close() {
	s.rtcpMU.Lock()
	if !s.closed {
		s.closed = true
		close(s.rtcpClosed)
	}
	s.rtcpMU.Unlock()
	s.monitorWG.Wait()
}

func (s *RTPSession) readRTCP() {
	for {
		select {
		case <-s.rtcpClosed:
			return
		case pkt := <-s.incoming:
			s.readRTCPPacket(pkt)
		}
	}
}

func (s *RTPSession) readRTCPPacket(pkt Packet) {
	s.rtcpMU.Lock()
	// Add interceptor
	if s.onReadRTCP != nil {
		stats := s.readStats
		s.rtcpMU.Unlock()
		s.onReadRTCP(pkt, stats) // second read of the field, without rtcpMU
		s.rtcpMU.Lock()
	}
	if p, ok := pkt.(*SenderReport); ok {
		if s.readStats.SSRC == 0 {
			s.readStats.SSRC = p.SSRC
		}
		s.readStats.lastSenderReportNTP++
	}
	s.rtcpMU.Unlock()
}

func (s *RTPSession) writeRTCP(now time.Time) {
	s.rtcpMU.Lock()
	pkt := &SenderReport{SSRC: s.writeStats.SSRC}
	s.writeStats.PacketsCount++
	// Add interceptor
	if s.onWriteRTCP != nil {
		stats := s.writeStats
		s.rtcpMU.Unlock()
		s.onWriteRTCP(pkt, stats)
	} else {
		s.rtcpMU.Unlock()
	}
	s.rtcpMU.Lock()
	s.sent = append(s.sent, pkt)
	s.rtcpMU.Unlock()
	_ = now
}
