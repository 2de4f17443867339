package abandoned_sender

import (
	"context"
	"errors"
	"time"
)

// Bad cases carry a want comment; look-alikes that must stay silent do not.

type result struct {
	body string
	err  error
}

// etcd-style request with a context: the ctx.Done case returns and the
// worker's send on the unbuffered channel blocks forever.
func fetch(ctx context.Context, get func() (string, error)) (string, error) {
	ch := make(chan result)
	go func() {
		body, err := get()
		ch <- result{body, err} // want "this send blocks forever when fetch returns at line 28 in the `<-ctx.Done\\(\\)` case before receiving from ch: the goroutine started at line 20 leaks$"
	}()
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// The fix: a buffer for the one send.
func fetchFixed(ctx context.Context, get func() (string, error)) (string, error) {
	ch := make(chan result, 1)
	go func() {
		body, err := get()
		ch <- result{body, err}
	}()
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// The other fix: the sender selects on the context too.
func fetchFixedSelect(ctx context.Context, get func() (string, error)) (string, error) {
	ch := make(chan result)
	go func() {
		body, err := get()
		select {
		case ch <- result{body, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Docker-style timeout: time.After wins, the exec goroutine leaks.
func waitExec(run func() error, d time.Duration) error {
	errCh := make(chan error)
	go func() {
		errCh <- run() // want "this send blocks forever when waitExec returns at line 75 in the `<-time.After\\(d\\)` case before receiving from errCh"
	}()
	select {
	case err := <-errCh:
		return err
	case <-time.After(d):
		return errors.New("timeout")
	}
}

func waitExecFixed(run func() error, d time.Duration) error {
	errCh := make(chan error, 1)
	go func() {
		errCh <- run()
	}()
	select {
	case err := <-errCh:
		return err
	case <-time.After(d):
		return errors.New("timeout")
	}
}

// An error return between the spawn and the receive (Kubernetes-style
// setup that bails out).
func startAndCheck(start func() error, check func() error) error {
	done := make(chan error)
	go func() {
		done <- start() // want "this send blocks forever when startAndCheck returns at line 100 when `err != nil` before receiving from done"
	}()
	if err := check(); err != nil {
		return err
	}
	return <-done
}

func startAndCheckFixed(start func() error, check func() error) error {
	done := make(chan error)
	go func() {
		done <- start()
	}()
	if err := check(); err != nil {
		<-done
		return err
	}
	return <-done
}

// A deferred drain receives on every path.
func startAndCheckDrained(start func() error, check func() error) error {
	done := make(chan error)
	go func() {
		done <- start()
	}()
	defer func() { <-done }()
	if err := check(); err != nil {
		return err
	}
	return nil
}

// CockroachDB-style fan-out: the first error returns, the other workers'
// sends block forever.
func runAll(tasks []func() error) error {
	errc := make(chan error)
	for _, t := range tasks {
		go func(t func() error) {
			errc <- t() // want "this send blocks forever when runAll returns at line 141 when `err != nil` without receiving everything sent on errc: the goroutine started at line 135 leaks"
		}(t)
	}
	for range tasks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func runAllFixed(tasks []func() error) error {
	errc := make(chan error, len(tasks))
	for _, t := range tasks {
		go func(t func() error) {
			errc <- t()
		}(t)
	}
	for range tasks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// All results received: silent.
func runAllWait(tasks []func() error) error {
	errc := make(chan error)
	for _, t := range tasks {
		go func(t func() error) {
			errc <- t()
		}(t)
	}
	var first error
	for range tasks {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// First response wins: the other replicas' sends block forever.
func firstReply(replicas []func() string) string {
	c := make(chan string)
	for _, r := range replicas {
		go func(r func() string) { c <- r() }(r) // want "this send blocks forever when firstReply returns at line 185 without receiving everything sent on c"
	}
	return <-c
}

func firstReplyFixed(replicas []func() string) string {
	c := make(chan string, len(replicas))
	for _, r := range replicas {
		go func(r func() string) { c <- r() }(r)
	}
	return <-c
}

// gRPC-style producer: the consumer breaks out of the range early.
func findFirst(items []int, want int) bool {
	ch := make(chan int)
	go func() {
		for _, it := range items {
			ch <- it // want "this send blocks forever when findFirst returns at line 207 when `v == want` without receiving everything sent on ch"
		}
		close(ch)
	}()
	for v := range ch {
		if v == want {
			return true
		}
	}
	return false
}

func findFirstFixed(ctx context.Context, items []int, want int) bool {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, it := range items {
			select {
			case ch <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	for v := range ch {
		if v == want {
			return true
		}
	}
	return false
}

// The goroutine is a function of the package: go worker(ch).
func compute(ctx context.Context, n int) (int, error) {
	out := make(chan int)
	go square(n, out)
	select {
	case v := <-out:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func square(n int, out chan<- int) {
	out <- n * n // want "this send blocks forever when compute returns at line 243 in the `<-ctx.Done\\(\\)` case before receiving from out: the goroutine started at line 238 leaks"
}

// Two sends, a buffer of two: silent.
func twoSends(ctx context.Context, a, b func() int) int {
	ch := make(chan int, 2)
	go func() { ch <- a() }()
	go func() { ch <- b() }()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Escapes: the channel is returned, stored, or handed to other code.
func escapes(get func() int) <-chan int {
	ch := make(chan int)
	go func() { ch <- get() }()
	return ch
}

type holder struct{ ch chan int }

func stored(h *holder, get func() int) {
	ch := make(chan int)
	h.ch = ch
	go func() { ch <- get() }()
}

func handedOn(get func() int, use func(chan int)) {
	ch := make(chan int)
	go func() { ch <- get() }()
	use(ch)
}

// Send with a default: never blocks.
func trySend(ctx context.Context, get func() int) int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- get():
		default:
		}
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// Another goroutine receives.
func relay(get func() int, put func(int)) {
	ch := make(chan int)
	go func() { ch <- get() }()
	go func() { put(<-ch) }()
}

// Conditional send, correlated condition: low confidence at most.
func maybe(cond bool, get func() int) int {
	ch := make(chan int)
	go func() {
		if cond {
			ch <- get() // want "this send blocks forever when maybe returns at line 318 when `!cond` before receiving from ch.*\\[low confidence\\]"
		}
	}()
	if !cond {
		return 0
	}
	return <-ch
}

// vitess' execQueryWithRetry: the goroutine sends exactly once, on errCh
// or on qrCh, and returns; the select receives from both, so whichever
// case wins took the goroutine's only value.
func oneShotTwoChannels(ctx context.Context, exec func() (string, error)) (string, error) {
	errCh := make(chan error)
	qrCh := make(chan string)
	go func() {
		for {
			select {
			case <-ctx.Done():
				errCh <- ctx.Err()
				return
			default:
			}
			qr, err := exec()
			if err == nil {
				qrCh <- qr
				return
			}
			if err != errRetry {
				errCh <- err
				return
			}
		}
	}()
	select {
	case qr := <-qrCh:
		return qr, nil
	case err := <-errCh:
		return "", err
	}
}

var errRetry = errors.New("retry")

// The same goroutine with a select that also returns on ctx.Done: that
// case took no value, and the goroutine's send blocks forever.
func oneShotTwoChannelsTimeout(ctx context.Context, exec func() (string, error)) (string, error) {
	errCh := make(chan error)
	qrCh := make(chan string)
	go func() {
		qr, err := exec()
		if err != nil {
			errCh <- err // want "this send blocks forever when oneShotTwoChannelsTimeout returns .* in the `<-ctx.Done\(\)` case"
			return
		}
		qrCh <- qr // want "this send blocks forever when oneShotTwoChannelsTimeout returns .* in the `<-ctx.Done\(\)` case"
	}()
	select {
	case qr := <-qrCh:
		return qr, nil
	case err := <-errCh:
		return "", err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// rclone's readLineWithTimeout: the goroutine's send in either branch of
// an if/else is its last act, so it sends once in all. A receive from
// either channel took that value; only the timeout abandons the send.
func oneShotIfElse(ctx context.Context, read func() (string, error)) (string, error) {
	lineChan := make(chan string)
	errChan := make(chan error)
	go func() {
		line, err := read()
		if err != nil {
			errChan <- err // want "this send blocks forever when oneShotIfElse returns at line [0-9]+ in the `<-ctx.Done\(\)` case before receiving from errChan"
		} else {
			lineChan <- line // want "this send blocks forever when oneShotIfElse returns at line [0-9]+ in the `<-ctx.Done\(\)` case before receiving from lineChan"
		}
	}()
	select {
	case line := <-lineChan:
		return line, nil
	case err := <-errChan:
		return "", err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// The same with a switch whose clauses each end the goroutine: one value.
func oneShotSwitch(read func() (string, error)) (string, error) {
	lineChan := make(chan string)
	errChan := make(chan error)
	go func() {
		line, err := read()
		switch {
		case err != nil:
			errChan <- err
		default:
			lineChan <- line
		}
	}()
	select {
	case line := <-lineChan:
		return line, nil
	case err := <-errChan:
		return "", err
	}
}

// Not one-shot: after the if/else the goroutine sends again, so a receive
// from lineChan does not mean errChan is done with.
func twoSendsAfterIf(read func() (string, error)) string {
	lineChan := make(chan string)
	errChan := make(chan error)
	go func() {
		line, err := read()
		if err != nil {
			errChan <- err // want "this send blocks forever when twoSendsAfterIf returns"
		} else {
			lineChan <- line
		}
		errChan <- nil
	}()
	return <-lineChan
}

// cilium's runHeartbeat: the send is conditional, and the select's
// timeout case falls through to the end of the function: after that case
// nobody receives, so the goroutine blocks forever on done.
func heartbeat(ctx context.Context, beat func(context.Context) error, tooMany func(error) bool) {
	done := make(chan error)
	go func() {
		err := beat(ctx)
		if err != nil && !tooMany(err) {
			done <- err // want "this send blocks forever when heartbeat returns at the end of the function after the `<-ctx.Done\(\)` case before receiving from done[^[]*$"
		}
		close(done)
	}()
	select {
	case err := <-done:
		_ = err
	case <-ctx.Done():
		println("heartbeat timed out")
	}
}

// nats.go's pull test: the other case receives from a channel the
// goroutine itself closes when it is finished, so taking that case says
// it sent nothing more: not raised.
func fetchAll(fetch func() (int, error), want int) []int {
	var res []int
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		for {
			if len(res) == want {
				close(done)
				return
			}
			v, err := fetch()
			if err != nil {
				errs <- err // want "this send blocks forever .*\\[low confidence\\]"
				return
			}
			res = append(res, v)
		}
	}()
	select {
	case err := <-errs:
		panic(err)
	case <-done:
	}
	return res
}

// amqp091's channel-closing test: the goroutine sends on signal only
// after its conditional error send, so receiving the signal means that
// send is behind it: not raised.
func closeSignal(open func() error, closeIt func() error) {
	signal := make(chan bool)
	errc := make(chan error)
	go func() {
		if err := open(); err != nil {
			errc <- err // want "this send blocks forever .*\\[low confidence\\]"
		}
		<-signal
		signal <- true
	}()
	signal <- true
	select {
	case e := <-errc:
		panic(e)
	case <-signal:
	}
}

// go-ethereum's Resubscribe as first proposed in #20657: one goroutine per
// iteration sends one value on a channel with a buffer of one, and every
// way round the loop receives one: at most one value is ever left, and the
// buffer holds it when the unsub case returns. Not raised.
func resubscribe(fn func() error, unsub chan struct{}) error {
	subscribed := make(chan error, 1)
	for {
		go func() {
			subscribed <- fn()
		}()
		select {
		case err := <-subscribed:
			if err != nil {
				continue
			}
			return nil
		case <-unsub:
			return errors.New("unsubscribed")
		}
	}
}

// The same, but a tick goes round the loop without receiving: values pile
// up beyond the buffer.
func resubscribeTick(fn func() error, unsub, tick chan struct{}) error {
	subscribed := make(chan error, 1)
	for {
		go func() {
			subscribed <- fn() // want "this send blocks forever .*\\[low confidence\\]"
		}()
		select {
		case err := <-subscribed:
			if err == nil {
				return nil
			}
		case <-tick:
		case <-unsub:
			return errors.New("unsubscribed")
		}
	}
}

// Two goroutines per iteration and one receive: values pile up beyond the
// buffer.
func resubscribeTwo(fn func() error, unsub chan struct{}) error {
	subscribed := make(chan error, 1)
	for {
		go func() {
			subscribed <- fn() // want "this send blocks forever .*\\[low confidence\\]"
		}()
		go func() {
			subscribed <- fn() // want "this send blocks forever .*\\[low confidence\\]"
		}()
		select {
		case err := <-subscribed:
			if err == nil {
				return nil
			}
		case <-unsub:
			return errors.New("unsubscribed")
		}
	}
}
