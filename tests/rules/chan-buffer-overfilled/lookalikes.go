package overfill

import "fmt"

// --- look-alikes: silent ---

// Filled exactly to its buffer, then drained.
func exactlyFull() []int {
	ch := make(chan int, 3)
	ch <- 1
	ch <- 2
	ch <- 3
	close(ch)
	var out []int
	for v := range ch {
		out = append(out, v)
	}
	return out
}

// The receiver runs before the sends.
func receiverFirst() {
	ch := make(chan int)
	done := make(chan bool)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
		done <- true
	}()
	ch <- 1
	ch <- 2
	close(ch)
	<-done
}

// A send with a default never blocks.
func tryFill() {
	ch := make(chan int, 1)
	for i := 0; i < 3; i++ {
		select {
		case ch <- i:
		default:
		}
	}
}

// A loop whose trip count is not a constant.
func variableLoop(n int) {
	ch := make(chan int, 2)
	for i := 0; i < n; i++ {
		ch <- i
	}
	close(ch)
}

// A loop that may stop early.
func loopWithBreak(stop func(int) bool) {
	ch := make(chan int, 2)
	for i := 0; i < 5; i++ {
		if stop(i) {
			break
		}
		ch <- i
	}
	close(ch)
}

// The channel is handed on before the sends: someone else may receive.
func handedOn(consume func(chan int)) {
	ch := make(chan int, 1)
	consume(ch)
	ch <- 1
	ch <- 2
}

type holder struct{ ch chan int }

func stored(h *holder) {
	ch := make(chan int)
	h.ch = ch
	ch <- 1
}

// A receive between the sends frees the room.
func receiveBetween() {
	ch := make(chan int, 1)
	ch <- 1
	<-ch
	ch <- 2
	fmt.Println(<-ch)
}

// A fresh channel each iteration, one send each.
func freshEachTime() {
	for i := 0; i < 3; i++ {
		ch := make(chan int, 1)
		ch <- i
		fmt.Println(<-ch)
	}
}

// The send is in another goroutine than the creator's.
func otherGoroutine() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return <-ch
}

// The sends are conditional: not counted.
func conditional(a, b bool) {
	ch := make(chan int, 1)
	if a {
		ch <- 1
	}
	if b {
		ch <- 2
	}
	close(ch)
}

// A return ends the straight line: what follows is not reached.
func afterReturn() int {
	ch := make(chan int, 1)
	ch <- 1
	return <-ch
}

// A label: a goto may reach the sends after it with fewer values queued.
func withLabel(again bool) {
	ch := make(chan int, 1)
	goto send
send:
	ch <- 1
	if again {
		<-ch
		goto send
	}
}

// A buffer that is not a constant.
func sized(n int) {
	ch := make(chan int, n)
	ch <- 1
	ch <- 2
}

// The body moves the loop variable on: fewer trips than the bound says.
func skipping() {
	ch := make(chan int, 2)
	for i := 0; i < 4; i++ {
		ch <- i
		i++
	}
	close(ch)
}
