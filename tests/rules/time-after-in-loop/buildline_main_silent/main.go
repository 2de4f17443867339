// A comment before the constraint, as docker's testutil has.
//go:build go1.23

package main

import "time"

// No go.mod, but the //go:build line says go1.23: a timer abandoned by
// time.After is collected.
func watch(updates <-chan int, report func(int)) {
	for {
		select {
		case s := <-updates:
			report(s)
		case <-time.After(time.Minute):
			report(0)
		}
	}
}

func main() { watch(nil, func(int) {}) }
