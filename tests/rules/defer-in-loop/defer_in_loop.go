package defer_in_loop

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"database/sql"
	"io"
	"net/http"
	"os"
	"sync"
)

// Files stay open until the function returns.
func concat(w io.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // want "defer of f.Close inside a loop: the deferred calls pile up"
		if _, err := io.Copy(w, f); err != nil {
			return err
		}
	}
	return nil
}

// A mutex locked per iteration and unlocked only at return: the second
// iteration deadlocks.
type store struct {
	mu   sync.Mutex
	data map[string]int
}

func (s *store) bump(keys []string) {
	for _, k := range keys {
		s.mu.Lock()
		defer s.mu.Unlock() // want "defer of s.mu.Unlock inside a loop"
		s.data[k]++
	}
}

// Response bodies of a polling loop.
func poll(c *http.Client, url string, stop <-chan struct{}) {
	for {
		resp, err := c.Get(url)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want "defer of resp.Body.Close inside a loop"
		select {
		case <-stop:
			return
		default:
		}
	}
}

// Rows of queries in a loop, a deferred func literal.
func counts(db *sql.DB, tables []string) (map[string]int, error) {
	out := map[string]int{}
	for _, t := range tables {
		rows, err := db.Query("SELECT count(*) FROM " + t)
		if err != nil {
			return nil, err
		}
		defer func() { // want "defer of func literal inside a loop"
			rows.Close()
		}()
		for rows.Next() {
			var n int
			if err := rows.Scan(&n); err != nil {
				return nil, err
			}
			out[t] = n
		}
	}
	return out, nil
}

// Under a condition: may be guarded to run once, so low confidence.
func conditional(paths []string) {
	for i, p := range paths {
		if i%2 == 0 {
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			defer f.Close() // want "defer of f.Close inside a loop"
		}
	}
}

// An obviously small loop: low confidence.
func small() {
	for i := 0; i < 3; i++ {
		f, _ := os.CreateTemp("", "x")
		defer os.Remove(f.Name()) // want "defer of os.Remove inside a loop"
		f.WriteString("x")
	}
}

// ---- look-alikes ----

// The body wrapped in a func literal: each defer runs per iteration.
func concatOK(w io.Writer, paths []string) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Explicit close at the end of the iteration.
func concatExplicit(w io.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// A defer followed by a return in the same iteration runs at most once.
func firstReadable(paths []string) (*os.File, string) {
	var mu sync.Mutex
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		mu.Lock()
		defer mu.Unlock()
		return f, p
	}
	return nil, ""
}

// A defer followed by break.
func openFirst(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		break
	}
}

// Defer before the loop.
func before(paths []string) {
	f, err := os.Create("log")
	if err != nil {
		return
	}
	defer f.Close()
	for _, p := range paths {
		io.WriteString(f, p)
	}
}

// A goroutine started in a loop defers in its own function.
func workers(jobs <-chan int, wg *sync.WaitGroup) {
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				_ = j
			}
		}()
	}
}

// A method value deferred once, loop afterwards in a closure.
func handler(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	for _, h := range []string{"a", "b"} {
		w.Header().Set(h, "1")
	}
}

// Clean-up on failure: the deferred literal acts only when err is set, and
// piling one up per listener is the point. Low confidence.
func openAll(addrs []string) (n int, err error) {
	for _, a := range addrs {
		f, err := os.Open(a)
		if err != nil {
			return 0, err
		}
		defer func() { // want "defer of func literal inside a loop.*\\[low confidence\\]"
			if err == nil {
				return
			}
			f.Close()
		}()
		n++
	}
	return n, nil
}
