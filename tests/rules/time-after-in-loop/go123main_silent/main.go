package main

import (
	"fmt"
	"time"
)

// The main module says go 1.24: abandoned timers are garbage collected, the
// loop costs one small allocation per iteration. Silent.
func main() {
	lines := make(chan string)
	go func() {
		for i := 0; i < 3; i++ {
			lines <- fmt.Sprint(i)
		}
		close(lines)
	}()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return
			}
			fmt.Println(l)
		case <-time.After(time.Minute):
			fmt.Println("idle")
		}
	}
}
