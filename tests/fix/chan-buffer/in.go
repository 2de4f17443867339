package fix

import "context"

// GD103: the goroutine's one send blocks forever when ctx is done first;
// the fix gives the channel room for it.
func fetch(ctx context.Context, get func() (string, error)) (string, error) {
	type result struct {
		body string
		err  error
	}
	ch := make(chan result)
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

// Two goroutines feed one channel; the function returns at the first
// error, or when ctx is done, leaving the other sender blocked.
func both(ctx context.Context, a, b func() error) error {
	errc := make(chan error)
	go func() { errc <- a() }()
	go func() { errc <- b() }()
	for i := 0; i < 2; i++ {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
