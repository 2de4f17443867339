package main

import "fmt"

// main lives as long as the process: a worker ranging over a channel that
// main never closes ends with it.
func main() {
	ch := make(chan int)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	for i := 0; i < 3; i++ {
		ch <- i
	}
}

func init() {
	ready := make(chan struct{})
	go func() {
		<-ready
		fmt.Println("ready")
	}()
}
