package silent_types

import "sync"

// A local type named WaitGroup is not sync.WaitGroup.
type WaitGroup struct{ n int }

func (w *WaitGroup) Done() { w.n-- }
func (w *WaitGroup) Add(n int) { w.n += n }

func local(f func() error) {
	var wg WaitGroup
	wg.Add(1)
	go func() {
		if f() != nil {
			return
		}
		wg.Done()
	}()
}

// A group of unknown type (returned by a function of another package we
// cannot see): silent.
type getter interface{ Group() interface{ Done() } }

func unknown(g getter, f func() error) {
	wg := g.Group()
	go func() {
		if f() != nil {
			return
		}
		wg.Done()
	}()
}

// Real sync.WaitGroup, but every path calls Done.
func fine(f func() error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		err := f()
		wg.Done()
		if err != nil {
			return
		}
	}()
	wg.Wait()
}
