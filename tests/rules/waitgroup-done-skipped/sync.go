package waitgroup_done_skipped

import (
	"bytes"
	"context"
	"sync"
)

// influxdb-client-go#30: Flush counts itself in w.wg on entry and calls
// Done at its end; the two early returns skip it, and Stop's Wait hangs.
type lpWriter struct {
	lock sync.Mutex
	buf  *bytes.Buffer
	wg   sync.WaitGroup
}

func sendBuf(ctx context.Context, b *bytes.Buffer) error { return ctx.Err() }

func (w *lpWriter) Flush(ctx context.Context) error {
	w.wg.Add(1)
	w.lock.Lock()
	if w.buf.Len() == 0 {
		w.lock.Unlock()
		return nil // want "w.wg.Done \\(line 32\\) is skipped when this return is taken: the Add at line 20 stays counted and w.wg.Wait waits forever$"
	}
	buf := w.buf
	w.buf = &bytes.Buffer{}
	w.lock.Unlock()
	if err := sendBuf(ctx, buf); err != nil {
		return err // want "w.wg.Done \\(line 32\\) is skipped when this return is taken"
	}
	w.wg.Done()
	return nil
}

func (w *lpWriter) Stop() { w.wg.Wait() }

// The fixed twin: Done deferred right after the Add.
type lpWriterFixed struct {
	lock sync.Mutex
	buf  *bytes.Buffer
	wg   sync.WaitGroup
}

func (w *lpWriterFixed) Flush(ctx context.Context) error {
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
	return sendBuf(ctx, buf)
}

func (w *lpWriterFixed) Stop() { w.wg.Wait() }

// Look-alikes, all silent.
type tracker struct {
	wg     sync.WaitGroup
	closed bool
}

func (t *tracker) work() {}

// A return before the Add is not counted yet.
func (t *tracker) guarded() {
	if t.closed {
		return
	}
	t.wg.Add(1)
	t.work()
	t.wg.Done()
}

// The Done handed to a goroutine on one path, made here on the other.
func (t *tracker) maybeAsync(async bool) {
	t.wg.Add(1)
	if async {
		go func() {
			defer t.wg.Done()
			t.work()
		}()
		return
	}
	t.work()
	t.wg.Done()
}

// Every early return does its own Done.
func (t *tracker) eachPath(ok func() bool) bool {
	t.wg.Add(1)
	if !ok() {
		t.wg.Done()
		return false
	}
	t.work()
	t.wg.Done()
	return true
}

// Acquire keeps the count on success for release to drop: no Done at the
// top level, the early return is the one that gives it back.
func (t *tracker) acquire() bool {
	t.wg.Add(1)
	if t.closed {
		t.wg.Done()
		return false
	}
	return true
}

func (t *tracker) release() { t.wg.Done() }

// A helper of the package calls Done before the early return.
func (t *tracker) finish() { t.wg.Done() }

func (t *tracker) viaHelper(ok bool) {
	t.wg.Add(1)
	if !ok {
		t.finish()
		return
	}
	t.work()
	t.wg.Done()
}

// A local group is no one else's to wait on.
func localGroup(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	if !ok {
		return
	}
	wg.Done()
	wg.Wait()
}

// The Add is conditional: not on entry.
func (t *tracker) conditional(ok bool) {
	if ok {
		t.wg.Add(1)
	}
	if t.closed {
		return
	}
	t.wg.Done()
}
