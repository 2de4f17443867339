package lock_order

// Two mutexes taken in opposite orders through interface-typed fields, each
// interface implemented once in the package (quic-go/quic-go#2716).

import "sync"

// closeNotifier is closed: an unexported method.
type closeNotifier interface {
	setCloseError(error)
}

type handlerRegistry interface {
	register(id int)
	CloseServer()
}

type registry struct {
	mutex  sync.Mutex
	ids    map[int]bool
	server closeNotifier
}

func (r *registry) register(id int) {
	r.mutex.Lock()
	r.ids[id] = true
	r.mutex.Unlock()
}

func (r *registry) CloseServer() {
	r.mutex.Lock()
	r.ids = nil
	r.mutex.Unlock()
}

func (r *registry) close(err error) {
	r.mutex.Lock()
	defer r.mutex.Unlock()
	if r.server != nil {
		r.server.setCloseError(err) // want "r.server.mutex is locked here while r.mutex is held.*opposite order"
	}
}

type listener struct {
	mutex    sync.Mutex
	closeErr error
	handler  handlerRegistry
}

func (l *listener) setCloseError(err error) {
	l.mutex.Lock()
	l.closeErr = err
	l.mutex.Unlock()
}

func (l *listener) Close() {
	l.mutex.Lock()
	defer l.mutex.Unlock()
	l.handler.CloseServer()
}

// The fixed twin: Close takes the handler's lock after releasing its own.
type listener2 struct {
	mutex    sync.Mutex
	closeErr error
	handler  *registry2
}

type registry2 struct {
	mutex  sync.Mutex
	server closeNotifier2
}

type closeNotifier2 interface{ setCloseError2(error) }

func (l *listener2) setCloseError2(err error) {
	l.mutex.Lock()
	l.closeErr = err
	l.mutex.Unlock()
}

func (r *registry2) close(err error) {
	r.mutex.Lock()
	defer r.mutex.Unlock()
	r.server.setCloseError2(err)
}

func (r *registry2) closeServer() {
	r.mutex.Lock()
	r.server = nil
	r.mutex.Unlock()
}

func (l *listener2) Close() {
	l.mutex.Lock()
	h := l.handler
	l.mutex.Unlock()
	h.closeServer()
}

// A look-alike: the interface has two implementations in the package, so
// which one runs is not known: silent.
type sink interface{ flush() }

type fileSink struct{ mu sync.Mutex }
type netSink struct{ mu sync.Mutex }

func (s *fileSink) flush() { s.mu.Lock(); s.mu.Unlock() }
func (s *netSink) flush()  { s.mu.Lock(); s.mu.Unlock() }

type pipeline struct {
	mu   sync.Mutex
	out  sink
	file *fileSink
}

func (p *pipeline) drain() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out.flush()
}

func (p *pipeline) rotate() {
	p.file.mu.Lock()
	defer p.file.mu.Unlock()
	p.mu.Lock()
	p.mu.Unlock()
}
