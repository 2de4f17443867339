// Upstream: https://github.com/influxdata/influxdb-client-go/issues/30
// Project: influxdata/influxdb-client-go
// Fix: Flush defers w.wg.Done() right after w.wg.Add(1), so every return
// marks it done (commit 66f02b2, "fix: defer waitgroup decrement").
package fixed

import (
	"bytes"
	"context"
	"sync"
	"time"
)

type LPWriter struct {
	stopTicker    func()
	flushChan     <-chan time.Time
	flushInterval time.Duration
	buf           *bytes.Buffer
	lock          sync.Mutex
	stop          chan struct{}
	once          sync.Once
	wg            sync.WaitGroup
	onError       func(error)
	send          func(context.Context, *bytes.Buffer) error
}

func NewBufferingWriter(flushInterval time.Duration, send func(context.Context, *bytes.Buffer) error, onError func(error)) *LPWriter {
	return &LPWriter{buf: &bytes.Buffer{}, flushInterval: flushInterval, stop: make(chan struct{}), send: send, onError: onError}
}

func (w *LPWriter) Write(line []byte) (int, error) {
	select {
	case <-w.stop:
		return 0, nil
	default:
	}
	w.lock.Lock()
	defer w.lock.Unlock()
	return w.buf.Write(line)
}

// Start starts flushing every flushInterval.
func (w *LPWriter) Start() {
	w.lock.Lock()
	w.once = sync.Once{}
	if w.flushInterval != 0 {
		t := time.NewTicker(w.flushInterval)
		w.stopTicker = t.Stop
		w.flushChan = t.C
		w.wg.Add(1)
		go func() {
			for {
				select {
				case <-w.flushChan:
					if err := w.Flush(context.Background()); err != nil {
						w.onError(err)
					}
				case <-w.stop:
					w.wg.Done()
					return
				}
			}
		}()
	} else {
		w.stopTicker = func() {}
	}
	w.lock.Unlock()
}

// Flush writes out the internal buffer to the database.
func (w *LPWriter) Flush(ctx context.Context) error {
	w.wg.Add(1)
	defer w.wg.Done()
	w.lock.Lock()
	if w.buf.Len() == 0 {
		w.lock.Unlock()
		return nil
	}
	buf := w.buf
	w.buf = &bytes.Buffer{}
	w.lock.Unlock()
	if err := w.send(ctx, buf); err != nil {
		return err
	}
	return nil
}

// Stop flushes and stops the writer.
func (w *LPWriter) Stop() {
	w.lock.Lock()
	w.once.Do(func() {
		close(w.stop)
		w.stopTicker()
	})
	w.lock.Unlock()
	w.wg.Wait()
}
