package orphan

// Reached through a getter; nothing ever closes f.finished.
type Flusher struct{ finished chan struct{} }

func NewFlusher() *Flusher { return &Flusher{finished: make(chan struct{})} }

func (f *Flusher) Finished() <-chan struct{} { return f.finished }

func (f *Flusher) Flush() {}

func FlushAndWait(f *Flusher) {
	go f.Flush()
	<-f.Finished() // want "receive on f.Finished\(\) blocks forever: Finished returns Flusher.finished, which nothing in the package ever sends on or closes"
}

// The fixed twin: Flush closes it.
type Closer struct{ finished chan struct{} }

func NewCloser() *Closer { return &Closer{finished: make(chan struct{})} }

func (c *Closer) Finished() <-chan struct{} { return c.finished }

func (c *Closer) Flush() { close(c.finished) }

func CloseAndWait(c *Closer) {
	go c.Flush()
	<-c.Finished()
}

// Look-alikes: an exported getter of a bidirectional channel (other
// packages may send), a field handed to a function, a field fed by a send.
type Pipe struct{ ch chan int }

func NewPipe() *Pipe { return &Pipe{ch: make(chan int)} }

func (p *Pipe) Chan() chan int { return p.ch }

func Drain(p *Pipe) { <-p.Chan() }

type handed struct{ ch chan int }

func newHanded() *handed { h := &handed{ch: make(chan int)}; feed(h.ch); return h }

func feed(ch chan int) { go func() { ch <- 1 }() }

func (h *handed) out() <-chan int { return h.ch }

func useHanded(h *handed) { <-h.out() }

type fed struct{ ch chan int }

func newFed() *fed { f := &fed{ch: make(chan int, 1)}; f.ch <- 1; return f }

func (f *fed) out() <-chan int { return f.ch }

func useFed(f *fed) { <-f.out() }

// A select with another case: the getter's case is dead, but the select
// does not block for good (influxdb's monitorServerErrors).
type Server struct{ err chan error }

func NewServer() *Server { return &Server{err: make(chan error)} }

func (s *Server) Err() <-chan error { return s.err }

func Monitor(s *Server, closing chan struct{}) {
	for {
		select {
		case err := <-s.Err():
			_ = err
		case <-closing:
			return
		}
	}
}
