// Upstream: https://github.com/jesseduffield/gocui/pull/25
// Project: jesseduffield/gocui
// Fix: Close closes g.stop instead of sending one value from a goroutine,
// so every goroutine waiting on it (poller and ticker) wakes up and the
// helper goroutine is gone (commit 179315c).
// Beyond PR 25: the poller's `g.gEvents <-` and the ticker's
// `g.userEvents <-` are plain sends on buffered channels that nobody reads
// once MainLoop has returned; when the buffer is full they block and never
// see the close (godark reports them, GD109 low, in both versions). Here
// they also select on g.stop.
package fixed

import "time"

type GocuiEvent struct{ Key rune }

type userEvent struct{ f func(*Gui) error }

type View struct{ HasLoader bool }

type Gui struct {
	gEvents    chan GocuiEvent
	userEvents chan userEvent
	stop       chan struct{}
	views      []*View
	poll       func() GocuiEvent
}

func NewGui(poll func() GocuiEvent) *Gui {
	g := &Gui{poll: poll}
	g.stop = make(chan struct{})
	g.gEvents = make(chan GocuiEvent, 20)
	g.userEvents = make(chan userEvent, 20)
	return g
}

// Close finalizes the library.
func (g *Gui) Close() {
	close(g.stop)
}

// MainLoop runs the main loop until an error is returned.
func (g *Gui) MainLoop() error {
	go func() {
		for {
			select {
			case <-g.stop:
				return
			default:
				select {
				case g.gEvents <- g.poll():
				case <-g.stop:
					return
				}
			}
		}
	}()

	for {
		select {
		case ev := <-g.gEvents:
			if ev.Key == 'q' {
				return nil
			}
		case ev := <-g.userEvents:
			if err := ev.f(g); err != nil {
				return err
			}
		}
	}
}

// StartTicking redraws while some view shows a loader.
func (g *Gui) StartTicking() {
	go func() {
		ticker := time.NewTicker(50 * time.Millisecond)
		defer ticker.Stop()
	outer:
		for {
			select {
			case <-ticker.C:
				for _, v := range g.views {
					if v.HasLoader {
						select {
						case g.userEvents <- userEvent{func(*Gui) error { return nil }}:
						case <-g.stop:
							return
						}
						continue outer
					}
				}
				return
			case <-g.stop:
				return
			}
		}
	}()
}
