package loops

import "io"

// A debugger client (modelled on raff/godet#38): the sender goroutine ranges
// over a field channel that Close never closes, so it outlives the client.
type debugger struct {
	ws       io.WriteCloser
	requests chan string
}

func NewDebugger(ws io.WriteCloser) *debugger {
	d := &debugger{ws: ws, requests: make(chan string)}
	go d.send()
	return d
}

func (d *debugger) send() {
	for req := range d.requests { // want "this loop in the goroutine started at line 14 never exits"
		d.ws.Write([]byte(req))
	}
}

func (d *debugger) Request(s string) { d.requests <- s }

func (d *debugger) Close() error { return d.ws.Close() }

// Fixed: Close closes the channel, which ends the range.
type fixedDebugger struct {
	ws       io.WriteCloser
	requests chan string
}

func NewFixedDebugger(ws io.WriteCloser) *fixedDebugger {
	d := &fixedDebugger{ws: ws, requests: make(chan string)}
	go d.send()
	return d
}

func (d *fixedDebugger) send() {
	for req := range d.requests {
		d.ws.Write([]byte(req))
	}
}

func (d *fixedDebugger) Request(s string) { d.requests <- s }

func (d *fixedDebugger) Close() error {
	close(d.requests)
	return d.ws.Close()
}

// Handed on: the caller may close it, the loop may end.
type pump struct {
	in chan string
}

func newPump() *pump {
	p := &pump{in: make(chan string)}
	go p.run()
	return p
}

func (p *pump) run() {
	for s := range p.in {
		_ = s
	}
}

func (p *pump) Input() chan<- string { return p.in }
