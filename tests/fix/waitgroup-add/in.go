package fix

import (
	"net/http"
	"sync"
)

// GD301: each goroutine counts itself; the fix moves the Add before the go
// statement.
func fetchAll(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		go func(u string) {
			wg.Add(1)
			defer wg.Done()
			resp, err := http.Get(u)
			if err == nil {
				resp.Body.Close()
			}
		}(u)
	}
	wg.Wait()
}

type server struct {
	wg    sync.WaitGroup
	conns chan int
}

func (s *server) serve() {
	for c := range s.conns {
		switch {
		case c > 0:
			go func(c int) {
				s.wg.Add(1)

				handle(c)
				s.wg.Done()
			}(c)
		}
	}
}

func (s *server) shutdown() { s.wg.Wait() }

func handle(int) {}
