package stranded

import (
	"errors"
	"net"
	"sync/atomic"
	"time"
)

// Give-ups too weak for the default confidence (reported at low) and
// their look-alikes that stay at the default.

// The quit channel is closed only by a method that only tests call: in
// production the loop never stops.
type market struct {
	balance chan int
	stopped chan struct{}
}

func newMarket() *market {
	m := &market{balance: make(chan int), stopped: make(chan struct{})}
	go m.loop()
	return m
}

func (m *market) loop() {
	for {
		select {
		case <-m.balance:
		case <-m.stopped:
			return
		}
	}
}

func (m *market) Add(n int) {
	m.balance <- n // want "the send on m.balance blocks forever once loop stops receiving: .*\\(only tests call what closes market.stopped\\) \\[low confidence\\]"
}

// shutdownMarket is called from weak_giveups_test.go only.
func (m *market) shutdownMarket() { close(m.stopped) }

// The same with a Close that production code calls: reported at the
// default confidence.
type bazaar struct {
	balance chan int
	stopped chan struct{}
}

func newBazaar() *bazaar {
	b := &bazaar{balance: make(chan int), stopped: make(chan struct{})}
	go b.loop()
	return b
}

func (b *bazaar) loop() {
	for {
		select {
		case <-b.balance:
		case <-b.stopped:
			return
		}
	}
}

func (b *bazaar) Add(n int) {
	b.balance <- n // want "the send on b.balance blocks forever once loop stops receiving: it gives up at line 61 in the `<-b.stopped` case, and nothing else receives from bazaar.balance$"
}

func (b *bazaar) closeBazaar() { close(b.stopped) }

func useBazaar() {
	b := newBazaar()
	b.Add(1)
	b.closeBazaar()
}

// The sender returns on a shutdown flag before it sends: the stop that
// makes Accept give up sets the flag first.
type forwarder struct {
	errs   chan error
	closed chan struct{}
}

func (h *forwarder) Accept() (net.Conn, error) {
	select {
	case <-h.closed:
		return nil, errors.New("closed")
	case err := <-h.errs:
		return nil, err
	}
}

func (h *forwarder) Close() { close(h.closed) }

func newForwarder() *forwarder { return &forwarder{errs: make(chan error), closed: make(chan struct{})} }

type entryPoint struct {
	ln         net.Listener
	fwd        *forwarder
	inShutdown atomic.Bool
}

func (e *entryPoint) Start() {
	for {
		_, err := e.ln.Accept()
		if err != nil && e.inShutdown.Load() {
			return
		}
		if err != nil {
			e.fwd.errs <- err // want "the send on e.fwd.errs blocks forever once Accept stops receiving: .*\\(the sender returns on a stop flag before it\\) \\[low confidence\\]"
			return
		}
	}
}

func (e *entryPoint) Shutdown() {
	e.inShutdown.Store(true)
	e.fwd.Close()
}

func serveEntryPoint(e *entryPoint) { go e.Start() }

// The same without the flag: reported at the default confidence.
type plainForwarder struct {
	errs   chan error
	closed chan struct{}
}

func (h *plainForwarder) Accept() (net.Conn, error) {
	select {
	case <-h.closed:
		return nil, errors.New("closed")
	case err := <-h.errs:
		return nil, err
	}
}

func (h *plainForwarder) Close() { close(h.closed) }

func newPlainForwarder() *plainForwarder {
	return &plainForwarder{errs: make(chan error), closed: make(chan struct{})}
}

type plainEntryPoint struct {
	ln  net.Listener
	fwd *plainForwarder
}

func (e *plainEntryPoint) Start() {
	for {
		_, err := e.ln.Accept()
		if err != nil {
			e.fwd.errs <- err // want "the send on e.fwd.errs blocks forever once Accept stops receiving: it gives up at line 132 when it takes the `<-h.closed` case, and nothing else receives from plainForwarder.errs$"
			return
		}
	}
}

func (e *plainEntryPoint) Shutdown() { e.fwd.Close() }

func servePlain(e *plainEntryPoint) { go e.Start() }

// The loop gives up on another object's done channel, which it closes
// itself by stopping that object when the sender tells it to quit.
type consumer struct{ StopChan chan int }

func (c *consumer) Stop() {}

type fileLogger struct {
	cons *consumer
	term chan bool
	hup  chan bool
}

func (f *fileLogger) router() {
	exit := false
	for {
		select {
		case <-f.cons.StopChan:
			exit = true
		case <-f.term:
			f.cons.Stop()
		case <-f.hup:
		}
		if exit {
			break
		}
	}
}

type discoverer struct {
	loggers []*fileLogger
	term    chan bool
	hup     chan bool
}

func newFileLogger(c *consumer) *fileLogger {
	return &fileLogger{cons: c, term: make(chan bool), hup: make(chan bool)}
}

func (t *discoverer) start() {
	for _, fl := range t.loggers {
		go fl.router()
	}
	go t.run()
}

func (t *discoverer) run() {
	for {
		select {
		case <-t.term:
			for _, fl := range t.loggers {
				close(fl.term)
			}
			return
		case <-t.hup:
			for _, fl := range t.loggers {
				fl.hup <- true // want "the send on fl.hup blocks forever once router stops receiving: .*\\(the loop stops f.cons itself, line 183\\) \\[low confidence\\]"
			}
		}
	}
}

// A one-shot result channel the sender closes after its one send, read by
// a helper that several methods call: each call is a new receiver.
type muxer struct {
	sessErr chan error
}

func newMuxer(ln net.Listener) *muxer {
	m := &muxer{sessErr: make(chan error)}
	go m.acceptSession(ln)
	return m
}

func (m *muxer) acceptSession(ln net.Listener) {
	defer close(m.sessErr)
	if _, err := ln.Accept(); err != nil {
		m.sessErr <- err // want "the send on m.sessErr blocks forever once session stops receiving: .*nothing but the 2 calls of session receives from muxer.sessErr \\(each call of it receives anew, and the sender closes the channel after its send\\) \\[low confidence\\]"
	}
}

func (m *muxer) session() error {
	select {
	case err := <-m.sessErr:
		return err
	case <-time.After(5 * time.Second):
		return errors.New("timed out")
	}
}

func (m *muxer) Accept() error { return m.session() }
func (m *muxer) Dial() error   { return m.session() }

// The same helper called once, the channel not closed: reported at the
// default confidence.
type singleMuxer struct {
	sessErr chan error
}

func newSingleMuxer(ln net.Listener) *singleMuxer {
	m := &singleMuxer{sessErr: make(chan error)}
	go m.acceptSession(ln)
	return m
}

func (m *singleMuxer) acceptSession(ln net.Listener) {
	if _, err := ln.Accept(); err != nil {
		m.sessErr <- err // want "the send on m.sessErr blocks forever once wait stops receiving: it gives up at line 278 when it takes the `<-time.After\\(5 \\* time.Second\\)` case, and nothing else receives from singleMuxer.sessErr$"
	}
}

func (m *singleMuxer) wait() error {
	select {
	case err := <-m.sessErr:
		return err
	case <-time.After(5 * time.Second):
		return errors.New("timed out")
	}
}

func (m *singleMuxer) Accept() error { return m.wait() }

// A per-request reply channel with a buffer of one, sent on once by the
// batching loop: each trip sends on another request's empty buffer.
type response struct{ n int }

type pending struct {
	key  string
	resp chan *response
}

type batcher struct {
	queue chan *pending
	done  chan struct{}
}

func newBatcher() *batcher {
	b := &batcher{queue: make(chan *pending), done: make(chan struct{})}
	go b.run()
	return b
}

func (b *batcher) run() {
	var batch []*pending
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-b.queue:
			batch = append(batch, r)
		case <-tick.C:
			for _, r := range batch {
				r.resp <- &response{n: len(r.key)}
			}
			batch = nil
		case <-b.done:
			return
		}
	}
}

func (b *batcher) Get(key string) (*response, error) {
	r := &pending{key: key, resp: make(chan *response, 1)}
	select {
	case b.queue <- r:
	case <-b.done:
		return nil, errors.New("closed")
	}
	select {
	case resp := <-r.resp:
		return resp, nil
	case <-time.After(time.Second):
		return nil, errors.New("timed out")
	}
}

func (b *batcher) Close() { close(b.done) }

// A Stop that only this package's tests call is still how other packages
// stop the type (through an interface): reported at the default confidence.
type plugin struct {
	reconfig chan int
	stop     chan struct{}
}

func newPlugin() *plugin {
	p := &plugin{reconfig: make(chan int), stop: make(chan struct{})}
	go p.loop()
	return p
}

func (p *plugin) loop() {
	for {
		select {
		case <-p.reconfig:
		case <-p.stop:
			return
		}
	}
}

func (p *plugin) Reconfigure(n int) {
	p.reconfig <- n // want "the send on p.reconfig blocks forever once loop stops receiving: it gives up at line 359 in the `<-p.stop` case, and nothing else receives from plugin.reconfig$"
}

func (p *plugin) Stop() { close(p.stop) }

// The same through a chain of unexported closers that only a test starts
// (pulsar's transaction handler: handler.close, called by the client's
// close, called by one test).
type handler struct {
	requests chan int
	closing  chan struct{}
}

func newHandler() *handler {
	h := &handler{requests: make(chan int), closing: make(chan struct{})}
	go h.events()
	return h
}

func (h *handler) events() {
	for {
		select {
		case <-h.requests:
		case <-h.closing:
			return
		}
	}
}

func (h *handler) Submit(n int) {
	h.requests <- n // want "the send on h.requests blocks forever once events stops receiving: .*\\(only tests call what closes handler.closing\\) \\[low confidence\\]"
}

func (h *handler) close() { close(h.closing) }

type coordinator struct{ handlers []*handler }

func (c *coordinator) close() {
	for _, h := range c.handlers {
		h.close()
	}
}

// Look-alike: the chain reaches production code (Release, exported).
type lease struct {
	requests chan int
	closing  chan struct{}
}

func newLease() *lease {
	l := &lease{requests: make(chan int), closing: make(chan struct{})}
	go l.events()
	return l
}

func (l *lease) events() {
	for {
		select {
		case <-l.requests:
		case <-l.closing:
			return
		}
	}
}

func (l *lease) Submit(n int) {
	l.requests <- n // want "the send on l.requests blocks forever once events stops receiving: it gives up at line [0-9]+ in the `<-l.closing` case, and nothing else receives from lease.requests$"
}

func (l *lease) end() { close(l.closing) }

func (l *lease) Release() { l.end() }

// Look-alike: the loop that gives up is the goroutine that sends, through
// a helper it calls (telegraf's intel_rdt publisher): it cannot stop
// receiving before its own send; the send to itself is GD110's finding.
type publisher struct {
	measurements chan string
	cores        chan string
	stop         chan struct{}
}

func newPublisher() *publisher {
	p := &publisher{measurements: make(chan string), cores: make(chan string), stop: make(chan struct{})}
	p.publish()
	return p
}

func (p *publisher) publish() {
	go func() {
		for {
			select {
			case m := <-p.measurements:
				p.publishCores(m)
			case c := <-p.cores:
				_ = c
			case <-p.stop:
				return
			}
		}
	}()
}

func (p *publisher) publishCores(m string) {
	p.cores <- m
}

func (p *publisher) Stop() { close(p.stop) }
