// Upstream: https://github.com/blinklabs-io/gouroboros/issues/488 (fix: https://github.com/blinklabs-io/gouroboros/commit/0cc24f2a77c46b26c40a89ce9f30cfd314c7292b)
// Project: blinklabs-io/gouroboros
// Bug: New starts readLoop, which looks up the receiver channel of every
// incoming segment in m.protocolReceivers. RegisterProtocol, called by the
// protocols after the muxer is running, adds entries to the same nested
// maps with no lock: the race detector reported the map read in readLoop
// against the map write in RegisterProtocol.
// Kind: race
// Want: GD602
package gouroboros488

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
)

type ProtocolRole uint

const (
	ProtocolRoleNone ProtocolRole = iota
	ProtocolRoleInitiator
	ProtocolRoleResponder
)

// ProtocolUnknown is the ID of the catch-all receiver.
const ProtocolUnknown uint16 = 0xabcd

// Segment is a muxer frame: a protocol ID, a response flag and a payload.
type Segment struct {
	ProtocolId uint16
	Response   bool
}

func (s *Segment) GetProtocolId() uint16 { return s.ProtocolId }

func (s *Segment) IsResponse() bool { return s.Response }

// Muxer wraps a connection to allow running multiple mini-protocols over a single connection
type Muxer struct {
	errorChan         chan error
	conn              net.Conn
	doneChan          chan bool
	waitGroup         sync.WaitGroup
	protocolSenders   map[uint16]map[ProtocolRole]chan *Segment
	protocolReceivers map[uint16]map[ProtocolRole]chan *Segment
	onceStop          sync.Once
}

// New creates a new Muxer object and starts the read loop
func New(conn net.Conn) *Muxer {
	m := &Muxer{
		conn:              conn,
		errorChan:         make(chan error, 10),
		doneChan:          make(chan bool),
		protocolSenders:   make(map[uint16]map[ProtocolRole]chan *Segment),
		protocolReceivers: make(map[uint16]map[ProtocolRole]chan *Segment),
	}
	m.waitGroup.Add(1)
	go m.readLoop()
	return m
}

// Stop shuts down the muxer
func (m *Muxer) Stop() {
	m.onceStop.Do(func() {
		close(m.doneChan)
		_ = m.conn.Close()
		m.waitGroup.Wait()
	})
}

// RegisterProtocol registers the provided protocol ID with the muxer and
// returns the channels used to send and receive its segments.
func (m *Muxer) RegisterProtocol(protocolId uint16, protocolRole ProtocolRole) (chan *Segment, chan *Segment) {
	senderChan := make(chan *Segment, 10)
	receiverChan := make(chan *Segment, 10)
	// Record channels in protocol sender/receiver maps
	if _, ok := m.protocolSenders[protocolId]; !ok {
		m.protocolSenders[protocolId] = make(map[ProtocolRole]chan *Segment)
		m.protocolReceivers[protocolId] = make(map[ProtocolRole]chan *Segment) // BUG: readLoop reads this map meanwhile, with no lock
	}
	m.protocolSenders[protocolId][protocolRole] = senderChan
	m.protocolReceivers[protocolId][protocolRole] = receiverChan
	return senderChan, receiverChan
}

func (m *Muxer) sendError(err error) {
	select {
	case m.errorChan <- err:
	default:
	}
}

// readLoop reads incoming segments and hands each to its protocol.
func (m *Muxer) readLoop() {
	defer m.waitGroup.Done()
	hdr := make([]byte, 3)
	for {
		if _, err := io.ReadFull(m.conn, hdr); err != nil {
			return
		}
		msg := &Segment{ProtocolId: binary.BigEndian.Uint16(hdr), Response: hdr[2] == 1}
		// Send message payload to proper receiver
		protocolRole := ProtocolRoleResponder
		if msg.IsResponse() {
			protocolRole = ProtocolRoleInitiator
		}
		protocolRoles, ok := m.protocolReceivers[msg.GetProtocolId()] // the racing read
		if !ok {
			// Try the "unknown protocol" receiver if we didn't find an explicit one
			protocolRoles, ok = m.protocolReceivers[ProtocolUnknown]
			if !ok {
				m.sendError(fmt.Errorf("received message for unknown protocol ID %d", msg.GetProtocolId()))
				continue
			}
		}
		recvChan := protocolRoles[protocolRole]
		if recvChan == nil {
			m.sendError(fmt.Errorf("received message for unknown protocol role %d", protocolRole))
			continue
		}
		select {
		case recvChan <- msg:
		case <-m.doneChan:
			return
		default: // a full receiver drops the segment in this model
		}
	}
}
