// Upstream: https://github.com/gdamore/tcell/pull/195 (fix: https://github.com/gdamore/tcell/commit/aa381bce1bf2eb814ead6ce443dfad0580f4a79f)
// Project: gdamore/tcell
// Fix: Fini never sets t.quit to nil; a select with a default closes it only
// when it is not closed yet (commit aa381bc).
package fixed

import "sync"

type tScreen struct {
	quit     chan struct{}
	indoneq  chan struct{}
	keychan  chan []byte
	sigwinch chan struct{}
	keybuf   []byte
	cx, cy   int
	fini     bool
	sync.Mutex
}

func NewTerminfoScreen() (*tScreen, error) {
	t := &tScreen{
		keychan:  make(chan []byte, 10),
		sigwinch: make(chan struct{}),
		indoneq:  make(chan struct{}),
	}
	return t, nil
}

func (t *tScreen) Init() error {
	t.quit = make(chan struct{})

	t.Lock()
	t.cx = -1
	t.cy = -1
	t.Unlock()

	go t.mainLoop()
	return nil
}

func (t *tScreen) Fini() {
	t.Lock()
	defer t.Unlock()

	t.cx, t.cy = 0, 0
	t.fini = true

	select {
	case <-t.quit:
		// do nothing, already closed
	default:
		close(t.quit)
	}
}

func (t *tScreen) mainLoop() {
	for {
		select {
		case <-t.quit:
			close(t.indoneq)
			return
		case <-t.sigwinch:
			t.Lock()
			t.cx = -1
			t.cy = -1
			t.Unlock()
			continue
		case chunk := <-t.keychan:
			t.keybuf = append(t.keybuf, chunk...)
			t.scanInput()
		}
	}
}

func (t *tScreen) scanInput() {
	t.keybuf = t.keybuf[:0]
}
