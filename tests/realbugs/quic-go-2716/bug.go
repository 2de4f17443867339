// Upstream: https://github.com/quic-go/quic-go/issues/2716 (fix: https://github.com/quic-go/quic-go/pull/2849)
// Project: quic-go/quic-go
// Bug: two mutexes taken in opposite orders through interface calls.
// packetHandlerMap.close (run by the listen goroutine when ReadFrom fails)
// holds h.mutex and calls h.server.setCloseError, which takes
// baseServer.mutex. baseServer.Close holds s.mutex and calls
// s.sessionHandler.CloseServer, which takes h.mutex. A read error on the
// UDP conn racing with Listener.Close deadlocks both goroutines.
// Kind: deadlock
// Want: GD405
package quicgo2716

import (
	"errors"
	"net"
	"sync"
)

type packetHandler interface {
	shutdown()
	destroy(error)
}

type unknownPacketHandler interface {
	setCloseError(error)
}

type packetHandlerManager interface {
	SetServer(unknownPacketHandler)
	CloseServer()
}

type packetHandlerMap struct {
	mutex     sync.Mutex
	conn      net.PacketConn
	handlers  map[string]packetHandler
	server    unknownPacketHandler
	closed    bool
	listening chan struct{}
}

func newPacketHandlerMap(conn net.PacketConn) *packetHandlerMap {
	m := &packetHandlerMap{
		conn:      conn,
		handlers:  make(map[string]packetHandler),
		listening: make(chan struct{}),
	}
	go m.listen()
	return m
}

func (h *packetHandlerMap) SetServer(s unknownPacketHandler) {
	h.mutex.Lock()
	h.server = s
	h.mutex.Unlock()
}

func (h *packetHandlerMap) CloseServer() {
	h.mutex.Lock() // takes h.mutex; the caller (baseServer.Close) holds s.mutex
	h.server = nil
	var wg sync.WaitGroup
	for _, handler := range h.handlers {
		wg.Add(1)
		go func(handler packetHandler) {
			handler.shutdown()
			wg.Done()
		}(handler)
	}
	h.mutex.Unlock()
	wg.Wait()
}

func (h *packetHandlerMap) listen() {
	defer close(h.listening)
	data := make([]byte, 1452)
	for {
		if _, _, err := h.conn.ReadFrom(data); err != nil {
			h.close(err)
			return
		}
	}
}

func (h *packetHandlerMap) close(e error) error {
	h.mutex.Lock()
	if h.closed {
		h.mutex.Unlock()
		return nil
	}
	var wg sync.WaitGroup
	for _, handler := range h.handlers {
		wg.Add(1)
		go func(handler packetHandler) {
			handler.destroy(e)
			wg.Done()
		}(handler)
	}
	if h.server != nil {
		h.server.setCloseError(e) // BUG: holds h.mutex and takes baseServer.mutex; baseServer.Close holds that one and takes h.mutex
	}
	h.closed = true
	h.mutex.Unlock()
	wg.Wait()
	return nil
}

type baseServer struct {
	mutex          sync.Mutex
	sessionHandler packetHandlerManager
	closed         bool
	serverError    error
	errorChan      chan struct{}
}

func listen(conn net.PacketConn) *baseServer {
	s := &baseServer{
		sessionHandler: newPacketHandlerMap(conn),
		errorChan:      make(chan struct{}),
	}
	s.sessionHandler.SetServer(s)
	return s
}

// Close the server
func (s *baseServer) Close() error {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	if s.closed {
		return nil
	}
	s.sessionHandler.CloseServer()
	if s.serverError == nil {
		s.serverError = errors.New("server closed")
	}
	s.closed = true
	close(s.errorChan)
	return nil
}

func (s *baseServer) setCloseError(e error) {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	s.serverError = e
	close(s.errorChan)
}
