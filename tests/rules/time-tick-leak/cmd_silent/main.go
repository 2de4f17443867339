package main

import (
	"fmt"
	"time"
)

// main and init of package main run once: one ticker for the program.
func init() {
	go func() {
		for range time.Tick(time.Minute) {
			fmt.Println("still alive")
		}
	}()
}

func main() {
	deadline := time.Now().Add(3 * time.Second)
	for now := range time.Tick(time.Second) {
		if now.After(deadline) {
			return
		}
		fmt.Println(now)
	}
}
