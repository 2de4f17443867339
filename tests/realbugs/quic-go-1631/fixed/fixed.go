// Upstream: https://github.com/quic-go/quic-go/issues/1631 (fix: commit afdf9680e "fix deadlock when handling packets")
// Project: quic-go/quic-go
// Fix: handlePacket takes the read lock with `defer h.mutex.RUnlock()` and
// every early return relies on it (the maintainer: "This needs to be fixed
// with a defer, otherwise it will creep in again eventually"); the packet is
// handed to the session while the read lock is held.
package fixed

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
	hdr, err := parseHeader(data)
	if err != nil {
		return fmt.Errorf("error parsing header: %s", err)
	}
	p := &receivedPacket{remoteAddr: addr, data: data, rcvTime: time.Now()}

	h.mutex.RLock()
	defer h.mutex.RUnlock()

	if handlerEntry, ok := h.handlers[hdr.DestConnectionID]; ok { // existing session
		handlerEntry.handler.handlePacket(p)
		return nil
	}
	// No session found. This might be a stateless reset.
	if !hdr.IsLongHeader {
		if len(data) >= minStatelessResetSize {
			var token [16]byte
			copy(token[:], data[len(data)-16:])
			if sess, ok := h.resetTokens[token]; ok {
				sess.destroy(errors.New("received a stateless reset"))
				return nil
			}
		}
		return fmt.Errorf("received a short header packet with an unexpected connection ID %s", hdr.DestConnectionID)
	}
	if h.server == nil { // no server set
		return fmt.Errorf("received a packet with an unexpected connection ID %s", hdr.DestConnectionID)
	}
	h.server.handlePacket(p)
	return nil
}
