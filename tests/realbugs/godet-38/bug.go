// Upstream: https://github.com/raff/godet/issues/38
// Project: raff/godet
// Bug: Connect starts sendMessages, which ranges over the requests channel.
// Close only closes the websocket and never closes requests, so
// sendMessages waits for a message that never comes and leaks.
// Kind: leak
// Want: GD105
package godet38

import (
	"io"
	"sync"
)

type Params map[string]interface{}

type RemoteDebugger struct {
	ws       io.WriteCloser
	requests chan Params
	wg       sync.WaitGroup
}

func Connect(ws io.WriteCloser) *RemoteDebugger {
	r := &RemoteDebugger{ws: ws, requests: make(chan Params)}
	r.wg.Add(1)
	go r.sendMessages()
	return r
}

func (r *RemoteDebugger) sendMessages() {
	defer r.wg.Done()
	for req := range r.requests { // BUG: requests is never closed by Close
		_ = req
		r.ws.Write([]byte("{}"))
	}
}

func (r *RemoteDebugger) SendRequest(p Params) {
	r.requests <- p
}

func (r *RemoteDebugger) Close() error {
	return r.ws.Close()
}
