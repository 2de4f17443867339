// Upstream: https://github.com/jesseduffield/gocui/pull/25
// Project: jesseduffield/gocui
// Bug: NewGui makes the stop channel; MainLoop starts an event poller and
// StartTicking a ticker goroutine, and both wait on g.stop. Close sends one
// value on the unbuffered g.stop (from a helper goroutine) instead of
// closing it: the value wakes one waiter only. The other keeps waiting
// forever (lazygit issue 1502), and when neither is waiting any more (the
// ticker already returned), the helper goroutine blocks on its send.
// Kind: leak
// Want: none (why: a stop signal sent once, not closed, on a field channel that two goroutines (MainLoop's poller, StartTicking's ticker) each wait for in a select case that returns; GD109 does not apply, the poller can only leave through g.stop; it would take a rule that counts the receiving goroutines of a stop-style field channel (each receive a case that ends the goroutine) against its sends and reports a send where two or more goroutines wait and nothing closes it)
package gocui25

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
	go func() {
		g.stop <- struct{}{} // BUG: one value for two waiters (poller, ticker)
	}()
}

// MainLoop runs the main loop until an error is returned.
func (g *Gui) MainLoop() error {
	go func() {
		for {
			select {
			case <-g.stop:
				return
			default:
				g.gEvents <- g.poll()
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
						g.userEvents <- userEvent{func(*Gui) error { return nil }}
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
