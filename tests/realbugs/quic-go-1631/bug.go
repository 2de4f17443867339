// Upstream: https://github.com/quic-go/quic-go/issues/1631 (fix: commit afdf9680e "fix deadlock when handling packets")
// Project: quic-go/quic-go
// Bug: packetHandlerMap.handlePacket takes h.mutex.RLock and releases it on
// every path but one: a short-header packet for an unknown connection ID
// that is not a stateless reset returns the error with the read lock still
// held. The next Add/Remove (h.mutex.Lock) blocks forever, and with it every
// later handlePacket (RLock behind a waiting writer): the listener hangs.
// Kind: deadlock
// Want: GD402
package quicgo1631

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

const minStatelessResetSize = 21

type receivedPacket struct {
	remoteAddr net.Addr
	data       []byte
	rcvTime    time.Time
}

type header struct {
	IsLongHeader     bool
	DestConnectionID string
}

type packetHandler interface {
	handlePacket(*receivedPacket)
	destroy(error)
}

type unknownPacketHandler interface {
	handlePacket(*receivedPacket)
}

type packetHandlerEntry struct {
	handler packetHandler
}

type packetHandlerMap struct {
	mutex       sync.RWMutex
	handlers    map[string]packetHandlerEntry
	resetTokens map[[16]byte]packetHandler
	server      unknownPacketHandler
}

func parseHeader(data []byte) (*header, error) {
	if len(data) == 0 {
		return nil, errors.New("empty packet")
	}
	return &header{IsLongHeader: data[0]&0x80 > 0, DestConnectionID: string(data[1:])}, nil
}

func (h *packetHandlerMap) Add(id string, handler packetHandler) {
	h.mutex.Lock()
	h.handlers[id] = packetHandlerEntry{handler: handler}
	h.mutex.Unlock()
}

func (h *packetHandlerMap) Remove(id string) {
	h.mutex.Lock()
	delete(h.handlers, id)
	h.mutex.Unlock()
}

func (h *packetHandlerMap) handlePacket(addr net.Addr, data []byte) error {
	rcvTime := time.Now()
	hdr, err := parseHeader(data)
	if err != nil {
		return fmt.Errorf("error parsing header: %s", err)
	}

	h.mutex.RLock()
	handlerEntry, handlerFound := h.handlers[hdr.DestConnectionID]
	server := h.server

	var handlePacket func(*receivedPacket)
	if handlerFound { // existing session
		handlePacket = handlerEntry.handler.handlePacket
	} else { // no session found
		// this might be a stateless reset
		if !hdr.IsLongHeader {
			if len(data) >= minStatelessResetSize {
				var token [16]byte
				copy(token[:], data[len(data)-16:])
				if sess, ok := h.resetTokens[token]; ok {
					h.mutex.RUnlock()
					sess.destroy(errors.New("received a stateless reset"))
					return nil
				}
			}
			return fmt.Errorf("received a short header packet with an unexpected connection ID %s", hdr.DestConnectionID) // BUG: returns holding h.mutex.RLock; the next Add/Remove blocks forever
		}
		if server == nil { // no server set
			h.mutex.RUnlock()
			return fmt.Errorf("received a packet with an unexpected connection ID %s", hdr.DestConnectionID)
		}
		handlePacket = server.handlePacket
	}
	h.mutex.RUnlock()

	handlePacket(&receivedPacket{remoteAddr: addr, data: data, rcvTime: rcvTime})
	return nil
}
