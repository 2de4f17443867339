// Upstream: https://github.com/libp2p/go-yamux/issues/7 (fix: https://github.com/libp2p/go-yamux/pull/8)
// Project: libp2p/go-yamux
// Fix: Read copies s.state under stateLock and releases it before looking
// at recvBuf under recvLock (commit 8912b9d, "avoid taking the receive lock
// while holding the state lock"), so stateLock is never held while taking
// recvLock; sendWindowUpdate keeps its recvLock -> stateLock order.
package fixed

import (
	"bytes"
	"io"
	"sync"
)

type streamState int

const (
	streamInit streamState = iota
	streamSYNSent
	streamSYNReceived
	streamEstablished
	streamRemoteClose
	streamClosed
	streamReset
)

const (
	flagSYN uint16 = 1 << iota
	flagACK
)

type Session struct {
	maxStreamWindowSize uint32
	out                 chan []byte
}

func (s *Session) sendMsg(hdr []byte) error {
	s.out <- hdr
	return nil
}

type Stream struct {
	recvWindow uint32
	id         uint32
	session    *Session

	state     streamState
	stateLock sync.Mutex

	recvBuf  bytes.Buffer
	recvLock sync.Mutex

	recvNotifyCh chan struct{}
}

func asyncNotify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Read is used to read from the stream
func (s *Stream) Read(b []byte) (n int, err error) {
	defer asyncNotify(s.recvNotifyCh)
START:
	s.stateLock.Lock()
	state := s.state
	s.stateLock.Unlock()

	switch state {
	case streamRemoteClose:
		fallthrough
	case streamClosed:
		s.recvLock.Lock()
		empty := s.recvBuf.Len() == 0
		s.recvLock.Unlock()
		if empty {
			return 0, io.EOF
		}
	case streamReset:
		return 0, io.ErrClosedPipe
	}

	// If there is no data available, block
	s.recvLock.Lock()
	if s.recvBuf.Len() == 0 {
		s.recvLock.Unlock()
		<-s.recvNotifyCh
		goto START
	}
	n, _ = s.recvBuf.Read(b)
	s.recvLock.Unlock()

	// Send a window update potentially
	err = s.sendWindowUpdate()
	return n, err
}

// sendFlags determines any flags that are appropriate
// based on the current stream state
func (s *Stream) sendFlags() uint16 {
	s.stateLock.Lock()
	defer s.stateLock.Unlock()
	var flags uint16
	switch s.state {
	case streamInit:
		flags |= flagSYN
		s.state = streamSYNSent
	case streamSYNReceived:
		flags |= flagACK
		s.state = streamEstablished
	}
	return flags
}

// sendWindowUpdate potentially sends a window update enabling
// further writes to take place.
func (s *Stream) sendWindowUpdate() error {
	max := s.session.maxStreamWindowSize
	s.recvLock.Lock()
	delta := (max - uint32(s.recvBuf.Len())) - s.recvWindow

	// Determine the flags if any
	flags := s.sendFlags()

	// Check if we can omit the update
	if delta < (max/2) && flags == 0 {
		s.recvLock.Unlock()
		return nil
	}
	s.recvWindow += delta
	s.recvLock.Unlock()

	hdr := []byte{byte(flags), byte(s.id), byte(delta)}
	return s.session.sendMsg(hdr)
}
