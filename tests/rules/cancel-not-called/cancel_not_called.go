package cancel_not_called

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Bad cases carry a want comment; look-alikes that must stay silent do not.

type Service struct {
	client *http.Client
	cancel context.CancelFunc
	stops  []context.CancelFunc
	byID   map[string]context.CancelFunc
}

// The classic: the cancel function discarded to silence the compiler.
func (s *Service) Get(ctx context.Context, url string) (*http.Response, error) {
	ctx, _ = context.WithTimeout(ctx, 5*time.Second) // want "the cancel function of context.WithTimeout is discarded with _: the child context, its children and its timer leak"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return s.client.Do(req)
}

func withDeadline(parent context.Context, at time.Time) context.Context {
	ctx, _ := context.WithDeadline(parent, at) // want "cancel function of context.WithDeadline is discarded"
	return ctx
}

func withCause(parent context.Context) context.Context {
	ctx, _ := context.WithCancelCause(parent) // want "cancel function of context.WithCancelCause is discarded with _: the child context and its children leak until the parent is cancelled"
	return ctx
}

func withTimeoutCause(parent context.Context) {
	var ctx, _ = context.WithTimeoutCause(parent, time.Second, errors.New("slow")) // want "context.WithTimeoutCause is discarded"
	<-ctx.Done()
}

// Kept in a variable only to silence the compiler.
func (s *Service) fetch(ctx context.Context, url string) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second) // want "cancel from context.WithTimeout is only assigned to _"
	_ = cancel
	return s.Get(ctx, url)
}

// A second stage reuses the variable after its defer: the defer took the
// first cancel function, the second one is never called.
func (s *Service) twoStage(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := s.Get(ctx, url); err != nil {
		return err
	}
	ctx, cancel = context.WithTimeout(ctx, time.Second) // want "cancel from context.WithTimeout is never used after this assignment"
	_, err := s.Get(ctx, url)
	return err
}

// Both results discarded.
func discardAll(ctx context.Context) {
	context.WithCancel(ctx) // want "context.WithCancel's results are discarded"
}

// ---- silent look-alikes ----

// Reassigned in a loop whose next iteration cancels the previous context.
func (s *Service) each(ctx context.Context, urls []string) {
	cancel := context.CancelFunc(func() {})
	for _, u := range urls {
		cancel()
		var c context.Context
		c, cancel = context.WithTimeout(ctx, time.Second)
		s.Get(c, u)
	}
}

// A deferred closure reads the variable when it runs: it sees the last one.
func (s *Service) closure(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer func() { cancel() }()
	ctx, cancel = context.WithTimeout(ctx, time.Second)
	_, err := s.Get(ctx, url)
	return err
}

func (s *Service) deferred(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	<-ctx.Done()
	return ctx.Err()
}

// Returned to the caller.
func (s *Service) derive(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, cancel
}

func derive2(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(ctx)
}

// Stored in a field (that Stop calls), a slice and a map.
func (s *Service) Stop() { s.cancel() }

func (s *Service) Start(ctx context.Context, id string) context.Context {
	ctx, s.cancel = context.WithCancel(ctx)
	c2, cancel2 := context.WithCancel(ctx)
	s.stops = append(s.stops, cancel2)
	c3, cancel3 := context.WithCancel(c2)
	s.byID[id] = cancel3
	return c3
}

// Passed to a function, or called by a goroutine.
func (s *Service) watch(ctx context.Context, register func(context.CancelFunc)) {
	ctx, cancel := context.WithCancel(ctx)
	register(cancel)
	ctx2, cancel2 := context.WithTimeout(ctx, time.Minute)
	go func() {
		<-ctx2.Done()
		cancel2()
	}()
}

// Called on one path only: the path-sensitive version is go vet's.
func onePath(ctx context.Context, fast bool) error {
	ctx, cancel := context.WithCancel(ctx)
	if fast {
		cancel()
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

// Named results: the bare return hands the cancel function over.
func named(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithTimeout(parent, time.Second)
	return
}

// A package-level cancel, used elsewhere.
var rootCtx, rootCancel = context.WithCancel(context.Background())

func Shutdown() { rootCancel() }

type fakeContext struct{}

func (fakeContext) WithCancel(p context.Context) (context.Context, func()) { return p, func() {} }

// A local value named context, and a local function named WithCancel.
func shadow(p context.Context) context.Context {
	context := fakeContext{}
	ctx, _ := context.WithCancel(p)
	return ctx
}

func WithCancel(p context.Context) (context.Context, func()) { return p, func() {} }

func local(p context.Context) context.Context {
	ctx, _ := WithCancel(p)
	return ctx
}

// A timeout <= 0 makes a context that is done at once and holds no timer.
func expired(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, 0)
	return ctx
}
