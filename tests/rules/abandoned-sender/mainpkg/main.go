package main

import (
	"os"
	"os/signal"
	"time"
)

// tailscale's stunstamp: main returns on a signal before the first map
// arrives. The process ends with main: no goroutine outlives it.
func main() {
	sigCh := make(chan os.Signal, 1)
	signal.Notify(sigCh, os.Interrupt)
	dmCh := make(chan int)
	go func() {
		time.Sleep(time.Second)
		dmCh <- 1
	}()
	select {
	case <-sigCh:
		return
	case dm := <-dmCh:
		_ = dm
	}
	run()
}

// A function of package main other than main still leaks when it returns:
// the program goes on.
func run() {
	sigCh := make(chan os.Signal, 1)
	signal.Notify(sigCh, os.Interrupt)
	done := make(chan int)
	go func() {
		time.Sleep(time.Second)
		done <- 1 // want "this send blocks forever when run returns"
	}()
	select {
	case <-sigCh:
		return
	case <-done:
	}
}
