// Upstream: https://github.com/gdamore/tcell/pull/195 (fix: https://github.com/gdamore/tcell/commit/aa381bce1bf2eb814ead6ce443dfad0580f4a79f)
// Project: gdamore/tcell
// Bug: Init starts mainLoop, which selects on t.quit on every iteration
// without holding the screen lock. Fini closes t.quit and then sets the
// field to nil (under t.Lock, which mainLoop does not take on its key
// path): the write races with mainLoop's reads of t.quit, and a loop that
// reads the nil channel afterwards never sees the quit case again.
// Kind: race
// Want: GD608
package tcell195

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

	if t.quit != nil {
		close(t.quit)
		t.quit = nil // BUG: mainLoop reads t.quit in its select without the lock
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
