package feeder

import "errors"

// A request handed to the running loop over an unbuffered channel before
// the wait (lnd's chain views): the send completes only when the loop
// took the request, and the loop answers every request it takes, so the
// wait is answered. Silent.
type filterReq struct {
	height int
	resp   chan []byte
	err    chan error
}

type chainView struct {
	reqs  chan *filterReq
	quit  chan struct{}
	dial  func() error
	fetch func(int) ([]byte, error)
}

func newChainView(dial func() error, fetch func(int) ([]byte, error)) *chainView {
	return &chainView{reqs: make(chan *filterReq), quit: make(chan struct{}), dial: dial, fetch: fetch}
}

func (v *chainView) Start() error {
	if err := v.dial(); err != nil {
		return err
	}
	go v.loop()
	return nil
}

func (v *chainView) loop() {
	for {
		select {
		case r := <-v.reqs:
			b, err := v.fetch(r.height)
			r.resp <- b
			r.err <- err
		case <-v.quit:
			return
		}
	}
}

func (v *chainView) Filter(height int) ([]byte, error) {
	r := &filterReq{height: height, resp: make(chan []byte, 1), err: make(chan error, 1)}
	select {
	case v.reqs <- r:
	case <-v.quit:
		return nil, errors.New("shutting down")
	}
	return <-r.resp, <-r.err
}

// The same with a buffered request queue: the request can sit in the
// buffer while no loop runs (Start failed), and the wait never ends.
type queuedView struct {
	reqs  chan *filterReq
	quit  chan struct{}
	dial  func() error
	fetch func(int) ([]byte, error)
}

func newQueuedView(dial func() error, fetch func(int) ([]byte, error)) *queuedView {
	return &queuedView{reqs: make(chan *filterReq, 16), quit: make(chan struct{}), dial: dial, fetch: fetch}
}

func (v *queuedView) Start() error {
	if err := v.dial(); err != nil {
		return err
	}
	go v.loop()
	return nil
}

func (v *queuedView) loop() {
	for {
		select {
		case r := <-v.reqs:
			b, err := v.fetch(r.height)
			r.resp <- b
			r.err <- err
		case <-v.quit:
			return
		}
	}
}

func (v *queuedView) Filter(height int) ([]byte, error) {
	r := &filterReq{height: height, resp: make(chan []byte, 1), err: make(chan error, 1)}
	select {
	case v.reqs <- r:
	case <-v.quit:
		return nil, errors.New("shutting down")
	}
	return <-r.resp, <-r.err // want "the receive from r.resp blocks forever when Start returns early on `err != nil`" "the receive from r.err blocks forever when Start returns early on `err != nil`"
}
