package main

import (
	"fmt"
	"time"
)

// The main module says go 1.24: unreferenced tickers are collected.
func waitFor(cond func() bool) {
	for range time.Tick(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
}

func main() {
	n := 0
	waitFor(func() bool { n++; return n > 3 })
	fmt.Println(n)
}
