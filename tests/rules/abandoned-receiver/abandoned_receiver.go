package abandoned_receiver

import (
	"context"
	"errors"
)

// Bad cases carry a want comment; look-alikes that must stay silent do not.

// Kubernetes-style worker fed from a loop: the validation error returns
// without closing the queue, the worker ranges forever.
func process(items []string, handle func(string), check func(string) error) error {
	jobs := make(chan string)
	go func() {
		for it := range jobs { // want "this range over jobs never ends when process returns at line 21 when `err != nil` without closing jobs: the goroutine started at line 14 leaks$"
			handle(it)
		}
	}()
	for _, it := range items {
		if err := check(it); err != nil {
			return err
		}
		jobs <- it
	}
	close(jobs)
	return nil
}

// The fix: close on every path.
func processFixed(items []string, handle func(string), check func(string) error) error {
	jobs := make(chan string)
	defer close(jobs)
	go func() {
		for it := range jobs {
			handle(it)
		}
	}()
	for _, it := range items {
		if err := check(it); err != nil {
			return err
		}
		jobs <- it
	}
	return nil
}

// No close anywhere: the range never ends once the function returns.
func feed(items []int, sum func(int)) {
	ch := make(chan int)
	go func() {
		for v := range ch { // want "this range over ch never ends when feed returns at the end of the function without closing ch"
			sum(v)
		}
	}()
	for _, v := range items {
		ch <- v
	}
}

func feedFixed(items []int, sum func(int)) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			sum(v)
		}
	}()
	for _, v := range items {
		ch <- v
	}
	close(ch)
}

// etcd-style one-shot hand-off: the error path returns before sending.
func startServer(listen func() (string, error), serve func(string)) error {
	addrc := make(chan string)
	go func() {
		addr := <-addrc // want "this receive blocks forever when startServer returns at line 82 when `err != nil` without sending on or closing addrc: the goroutine started at line 76 leaks"
		serve(addr)
	}()
	addr, err := listen()
	if err != nil {
		return err
	}
	addrc <- addr
	return nil
}

func startServerFixed(listen func() (string, error), serve func(string)) error {
	addrc := make(chan string)
	go func() {
		addr, ok := <-addrc
		if !ok {
			return
		}
		serve(addr)
	}()
	addr, err := listen()
	if err != nil {
		close(addrc)
		return err
	}
	addrc <- addr
	return nil
}

// The receiver also watches the context: silent.
func startServerCtx(ctx context.Context, listen func() (string, error), serve func(string)) error {
	addrc := make(chan string)
	go func() {
		select {
		case addr := <-addrc:
			serve(addr)
		case <-ctx.Done():
		}
	}()
	addr, err := listen()
	if err != nil {
		return err
	}
	addrc <- addr
	return nil
}

// The goroutine is a function of the package: go consume(ch).
func pipeline(ctx context.Context, in []int, out func(int)) error {
	ch := make(chan int)
	go consume(ch, out)
	for _, v := range in {
		if v < 0 {
			return errors.New("negative")
		}
		ch <- v
	}
	close(ch)
	return nil
}

func consume(ch <-chan int, out func(int)) {
	for v := range ch { // want "this range over ch never ends when pipeline returns at line 130 when `v < 0` without closing ch: the goroutine started at line 127 leaks"
		out(v)
	}
}

// Escapes: returned or stored.
func source(gen func() int) chan int {
	ch := make(chan int)
	go func() {
		for v := range ch {
			_ = v + gen()
		}
	}()
	return ch
}

// Another goroutine sends and closes.
func producerConsumer(items []int, use func(int)) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			use(v)
		}
	}()
	go func() {
		defer close(ch)
		for _, v := range items {
			ch <- v
		}
	}()
}

// A conditional receive may match a conditional send: silent.
func maybeWait(wait bool, ready func()) {
	ch := make(chan struct{})
	go func() {
		if wait {
			<-ch
		}
		ready()
	}()
	if wait {
		ch <- struct{}{}
	}
}
