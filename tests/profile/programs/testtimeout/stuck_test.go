// Package testtimeout has one test that never ends, so that `go test
// -timeout 2s` panics and prints the goroutine dump godark must read.
package testtimeout

import "testing"

func waitForever(ch chan int) int {
	return <-ch // the test goroutine blocks here
}

func TestStuck(t *testing.T) {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- 1 }() // helpers block too: nobody receives twice
	}
	<-ch
	waitForever(make(chan int))
}
