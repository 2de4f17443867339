package send_after_close

import (
	"errors"
	"sync"
)

// A forwarding stage closes its output on a bad item and then goes on
// sending (the shape of pipeline bugs in log shippers).
func forward(in <-chan int, out chan<- int) {
	for v := range in {
		if v < 0 {
			close(out)
		}
		out <- v // want "send on out after close\\(out\\) at line 13 on every path.*panics$"
	}
}

type watcher struct {
	events chan string
	err    error
}

// Close on error, but the loop keeps sending the next event.
func (w *watcher) pump(src []string) {
	for _, s := range src {
		if s == "" {
			w.err = errors.New("empty")
			close(w.events)
			continue
		}
		w.events <- s // want "send on w.events can follow close\\(w.events\\) at line 29 on some path.*\\[low confidence\\]"
	}
}

// A select that still offers a send case on the closed channel: the case
// is ready and may be chosen.
func drain(results chan int, quit chan struct{}, v int) {
	close(results)
	select {
	case results <- v: // want "send on results after close\\(results\\) at line 39 on every path"
	case <-quit:
	}
}

// A goroutine started after the close sends on the closed channel.
func notifyAll(done chan struct{}, n int) {
	close(done)
	go func() {
		done <- struct{}{} // want "this goroutine is started after close\\(done\\) at line 48 and sends on done"
	}()
}

// The receiver closes the results channel on the first error while the
// producers it started are still sending.
func firstError(jobs []int) error {
	results := make(chan error)
	for _, j := range jobs {
		go func(j int) {
			results <- work(j)
		}(j)
	}
	for range jobs {
		if err := <-results; err != nil {
			close(results) // want "close\\(results\\) by its receiver while the goroutine started at line 59 may still send.*\\[low confidence\\]"
			return err
		}
	}
	return nil
}

func work(int) error { return nil }

// --- look-alikes that must stay silent ---

// Close deferred after all sends.
func produce(out chan<- int, n int) {
	defer close(out)
	for i := 0; i < n; i++ {
		out <- i
	}
}

// Close and leave.
func stage(in <-chan int, out chan<- int) {
	for v := range in {
		if v < 0 {
			close(out)
			return
		}
		out <- v
	}
	close(out)
}

// The channel is re-made after the close.
func restart(n int) {
	ch := make(chan int, 1)
	close(ch)
	ch = make(chan int, 1)
	ch <- n
	<-ch
}

// sync.Once-guarded close, sends guarded by a mutex and a closed flag.
type broadcaster struct {
	mu     sync.Mutex
	once   sync.Once
	closed bool
	ch     chan int
}

func (b *broadcaster) Close() {
	b.once.Do(func() {
		b.mu.Lock()
		b.closed = true
		close(b.ch)
		b.mu.Unlock()
	})
}

func (b *broadcaster) Send(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.ch <- v
}

// A receiver that closes its own done channel (a different channel).
func consume(in <-chan int, done chan struct{}) {
	for v := range in {
		_ = v
	}
	close(done)
}

// The producers are waited for before the close.
func collect(jobs []int) []error {
	var wg sync.WaitGroup
	results := make(chan error, len(jobs))
	for _, j := range jobs {
		wg.Add(1)
		go func(j int) {
			defer wg.Done()
			results <- work(j)
		}(j)
	}
	wg.Wait()
	close(results)
	var errs []error
	for err := range results {
		errs = append(errs, err)
	}
	return errs
}

// Correlated conditions on a flag are not reported at high confidence;
// here the send is on a different channel.
func split(in <-chan int, neg, pos chan<- int) {
	for v := range in {
		if v < 0 {
			neg <- v
			continue
		}
		pos <- v
	}
	close(neg)
	close(pos)
}

// recover: a test of close semantics.
func trySend(ch chan int) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	close(ch)
	ch <- 1
	return true
}
