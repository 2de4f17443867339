// Upstream: https://github.com/influxdata/influxdb-client-go/issues/30
// Project: influxdata/influxdb-client-go
// Bug: LPWriter.Flush counts itself in w.wg (Add(1) on entry) and calls
// w.wg.Done() only at its end: the early return on an empty buffer and the
// return on a write error skip it. Flush runs from the ticker goroutine that
// Start launches and from callers; after one skipped Done the counter never
// gets back to zero, and Stop (close(w.stop), then w.wg.Wait()) hangs.
// (Upstream Stop also waited inside once.Do with w.lock held and replaced
// w.stop there; that part is left out, it is not what issue 30 is about.)
// Kind: deadlock
// The BUG line is on the first return that skips the Done, where GD302
// reports it (with Stop's Wait as a related location), not on the Wait
// that hangs: the fix goes in Flush. The send-error return is not
// reported: the call through the func field w.send before it might, for
// all the rule knows, call Done on w.wg (the field is set by the exported
// constructor), so that path is not followed.
// Want: GD302
package influxdbclientgo30

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
	w.lock.Lock()
	if w.buf.Len() == 0 {
		w.lock.Unlock()
		return nil // BUG: skips w.wg.Done (and so does the send-error return below); Stop's Wait hangs
	}
	buf := w.buf
	w.buf = &bytes.Buffer{}
	w.lock.Unlock()
	if err := w.send(ctx, buf); err != nil {
		return err // skips w.wg.Done
	}
	w.wg.Done()
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
	w.wg.Wait() // hangs once a Flush returned early without Done
}
