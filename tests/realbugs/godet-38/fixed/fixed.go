// Upstream: https://github.com/raff/godet/issues/38
// Project: raff/godet
// Fix: as the reporter suggested and the maintainer applied ("Fixed!"),
// Close also closes the requests channel so sendMessages returns.
package fixed

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
	for req := range r.requests {
		_ = req
		r.ws.Write([]byte("{}"))
	}
}

func (r *RemoteDebugger) SendRequest(p Params) {
	r.requests <- p
}

func (r *RemoteDebugger) Close() error {
	close(r.requests)
	r.wg.Wait()
	return r.ws.Close()
}
