package paths

import (
	"context"
	"log"
	"sync"
	"time"
)

type Server struct {
	mu      sync.Mutex
	kv      KV
	cancel  context.CancelFunc
	stop    func()
	cancels []context.CancelFunc
	byKey   map[string]context.CancelFunc
}

type job struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// defer right after the call.
func (s *Server) deferred(ctx context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if key == "" {
		return "", errStopped
	}
	return s.kv.Get(ctx, key)
}

// cancel called on every branch.
func (s *Server) everyBranch(ctx context.Context, key string, mode int) error {
	ctx, cancel := context.WithCancel(ctx)
	if key == "" {
		cancel()
		return errStopped
	}
	switch mode {
	case 0:
		cancel()
		return nil
	default:
		_, err := s.kv.Get(ctx, key)
		cancel()
		return err
	}
}

// Handed to the caller.
func (s *Server) derive(ctx context.Context) (context.Context, context.CancelFunc, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	return ctx, cancel, nil
}

// Handed to the caller wrapped in a cleanup func.
func (s *Server) deriveCleanup(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, func() { cancel() }
}

// Stored in a struct field, in a struct literal, in a slice and a map.
func (s *Server) start(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

func newJob(parent context.Context) *job {
	ctx, cancel := context.WithCancel(parent)
	return &job{ctx: ctx, cancel: cancel}
}

func (s *Server) track(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	s.cancels = append(s.cancels, cancel)
	s.byKey[key] = cancel
	_, err := s.kv.Get(ctx, key)
	return err
}

// Passed to a goroutine that calls it.
func (s *Server) background(parent context.Context, key string) error {
	ctx, cancel := context.WithCancel(parent)
	go s.run(ctx, cancel, key)
	if key == "" {
		return errStopped
	}
	return nil
}

func (s *Server) run(ctx context.Context, cancel context.CancelFunc, key string) {
	defer cancel()
	s.kv.Get(ctx, key)
}

func (s *Server) watchdog(parent context.Context, done <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	go func() {
		defer cancel()
		select {
		case <-done:
		case <-ctx.Done():
		}
	}()
	if parent == nil {
		return errStopped
	}
	return nil
}

// Captured by a func literal stored in a field.
func (s *Server) arm(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	s.stop = func() {
		cancel()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return nil
}

// Assigned to another variable that is deferred.
func (s *Server) alias(parent context.Context, key string) error {
	ctx, cancel := context.WithCancel(parent)
	stop := cancel
	defer stop()
	if key == "" {
		return errStopped
	}
	_, err := s.kv.Get(ctx, key)
	return err
}

// The error path never returns: log.Fatal, panic.
func (s *Server) mustGet(key string) string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	v, err := s.kv.Get(ctx, key)
	if err != nil {
		log.Fatalf("get %s: %v", key, err)
	}
	if v == "" {
		panic("empty")
	}
	cancel()
	return v
}

// A cleanup registered before the assignment calls it.
func (s *Server) registeredEarlier(ctx context.Context, key string, d time.Duration) error {
	var cancel context.CancelFunc
	defer func() {
		if cancel != nil {
			cancel()
		}
	}()
	if d > 0 {
		ctx, cancel = context.WithTimeout(ctx, d)
	}
	if key == "" {
		return errStopped
	}
	_, err := s.kv.Get(ctx, key)
	return err
}

// Guarded by a nil check of the cancel variable itself.
func (s *Server) guarded(ctx context.Context, key string, d time.Duration) error {
	var cancel context.CancelFunc
	if d > 0 {
		ctx, cancel = context.WithTimeout(ctx, d)
	}
	if cancel != nil {
		defer cancel()
	}
	_, err := s.kv.Get(ctx, key)
	return err
}

// A loop that cancels each attempt before the next one and after the last.
func (s *Server) attempts(ctx context.Context, key string) (string, error) {
	var lastErr error
	for i := 0; i < 3; i++ {
		actx, cancel := context.WithTimeout(ctx, time.Second)
		v, err := s.kv.Get(actx, key)
		cancel()
		if err == nil {
			return v, nil
		}
		lastErr = err
	}
	return "", lastErr
}

// The cancel variable of an enclosing function, assigned in a goroutine:
// the outer function owns it.
func (s *Server) restart(parent context.Context) {
	var cancel context.CancelFunc
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ctx context.Context
		ctx, cancel = context.WithCancel(parent)
		if ctx.Err() != nil {
			return
		}
	}()
	wg.Wait()
	s.cancel = cancel
}

// A goroutine body that returns on both select arms, cancelling on both.
func (s *Server) both(parent context.Context, in <-chan string) {
	ctx, cancel := context.WithCancel(parent)
	for {
		select {
		case <-ctx.Done():
			cancel()
			return
		case k, ok := <-in:
			if !ok {
				cancel()
				return
			}
			s.kv.Get(ctx, k)
		}
	}
}

// Waiting for the derived context's own Done: it is cancelled already.
func (s *Server) waitDone(parent context.Context, res <-chan string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case v := <-res:
		cancel()
		return v, nil
	}
}

func (s *Server) waitThenCheck(parent context.Context, fast bool) error {
	ctx, cancel := context.WithCancel(parent)
	if fast {
		cancel()
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

// A deferred closure registered by an earlier iteration reads the variable
// when it runs: it cancels the last context.
func (s *Server) lastOne(ctx context.Context, keys []string) error {
	var cancel context.CancelFunc
	for i, k := range keys {
		var actx context.Context
		actx, cancel = context.WithTimeout(ctx, time.Second)
		if i == 0 {
			defer func() { cancel() }()
		}
		if k == "" {
			return errStopped
		}
		s.kv.Get(actx, k)
	}
	return nil
}
