package named

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"errors"
	"sync"
)

func connect() error { return errors.New("refused") }

// The classic: the goroutine sets err after Start has returned nil.
func Start() (err error) {
	go func() {
		err = connect() // want "the goroutine assigns err, a named result of the function that starts it, and nothing waits for it"
	}()
	return nil
}

// An increment and an address taken count as writes; one finding each.
func Count(xs []int) (n int, first *int) {
	go func() {
		for range xs {
			n++ // want "the goroutine assigns n"
		}
		p := &first // want "the goroutine assigns first"
		_ = p
	}()
	return
}

// A read while the function assigns the result afterwards.
func Snapshot(load func() int) (v int) {
	go func() {
		println(v) // want "the goroutine reads v, a named result.*the function writes the result"
	}()
	v = load()
	return v
}

// A read and nothing writing it: no race yet, only low confidence.
func Peek() (state string) {
	go func() {
		println(state) // want "the goroutine reads state.*\\[low confidence\\]"
	}()
	return
}

// ---- look-alikes that must stay silent ----

// The function waits for the goroutine.
func StartWait() (err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		err = connect()
	}()
	wg.Wait()
	return err
}

// The result comes back over a channel.
func StartChan() (err error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		err = connect()
	}()
	<-done
	return err
}

// A select joins it too.
func StartSelect(quit <-chan struct{}) (err error) {
	done := make(chan struct{})
	go func() {
		err = connect()
		close(done)
	}()
	select {
	case <-done:
	case <-quit:
	}
	return
}

// The goroutine shadows the name with a variable of its own.
func Shadow() (err error) {
	go func() {
		err := connect()
		_ = err
	}()
	return nil
}

// A parameter of the literal with the same name.
func Param() (err error) {
	go func(err error) {
		_ = err
	}(connect())
	return nil
}

// Unnamed results, and a named result used outside any goroutine.
func Plain() error {
	var err error
	go func() { _ = err }()
	return nil
}

func NoGoroutine() (n int) {
	f := func() { n++ }
	f()
	return
}
