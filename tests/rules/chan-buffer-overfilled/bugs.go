package overfill

import (
	"errors"
	"fmt"
)

// --- the bug: more sends than the buffer holds, before anyone can receive ---

// The receiver is started after the send on an unbuffered channel.
func unbufferedBeforeReceiver() int {
	ch := make(chan int)
	ch <- 1 // want "this send on the unbuffered ch blocks forever: no other goroutine has the channel yet, so nobody can receive$"
	go func() { fmt.Println(<-ch) }()
	return 0
}

// Three results into a buffer of two, then the consumer.
func threeIntoTwo() []string {
	results := make(chan string, 2)
	results <- "a"
	results <- "b"
	results <- "c" // want "the 3rd send on results blocks forever: its buffer holds 2 and no other goroutine has the channel yet"
	close(results)
	var out []string
	for r := range results {
		out = append(out, r)
	}
	return out
}

const workers = 4

// A constant loop fills the channel past its buffer: the 4th send blocks.
func loopPastBuffer() {
	tokens := make(chan struct{}, 3)
	for i := 0; i < workers; i++ {
		tokens <- struct{}{} // want "the 4th send on tokens \\(in this loop\\) blocks forever: its buffer holds 3"
	}
	close(tokens)
}

// One send before the loop and a range over an int: 1 + 3 > 3.
func sendThenRange() {
	ch := make(chan error, 3)
	ch <- nil
	for range 3 {
		ch <- errors.New("x") // want "the 4th send on ch \\(in this loop\\) blocks forever"
	}
	close(ch)
}

const size = 1

// The buffer is a named constant; an error check between the sends does
// not help: the second send is reached through it.
func namedBuffer(err error) error {
	done := make(chan bool, size)
	done <- true
	if err != nil {
		return err
	}
	done <- false // want "the 2nd send on done blocks forever: its buffer holds 1"
	go func() { <-done; <-done }()
	return nil
}

// Inside a goroutine: the goroutine leaks instead of deadlocking.
func inGoroutine() {
	go func() {
		ch := make(chan int)
		ch <- 42 // want "this send on the unbuffered ch blocks forever"
		fmt.Println(<-ch)
	}()
}

// In a switch case.
func inCase(k int) {
	switch k {
	case 1:
		var ch = make(chan int, 1)
		ch <- 1
		ch <- 2 // want "the 2nd send on ch blocks forever"
		fmt.Println(<-ch)
	}
}
