// Package dotruntime: runtime dot-imported, Gosched named without package.
package dotruntime

import . "runtime"

func spin(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default: // want "runtime.Gosched\\(\\) only yields"
			Gosched()
		}
	}
}

type sched struct{}

func (sched) Gosched() { GC() }

func local(stop <-chan struct{}, s sched) {
	for {
		select {
		case <-stop:
			return
		default:
			s.Gosched()
		}
	}
}
