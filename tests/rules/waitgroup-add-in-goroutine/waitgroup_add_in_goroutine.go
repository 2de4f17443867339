package waitgroup_add_in_goroutine

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"net/http"
	"sync"
)

// The classic: each goroutine counts itself, so Wait may return at once.
func fetchAll(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		go func(u string) {
			wg.Add(1) // want "wg.Add called inside the goroutine it counts"
			defer wg.Done()
			resp, err := http.Get(u)
			if err == nil {
				resp.Body.Close()
			}
		}(u)
	}
	wg.Wait()
}

// A WaitGroup field of a server, Done called directly at the end.
type server struct {
	wg    sync.WaitGroup
	conns chan int
}

func (s *server) serve() {
	for c := range s.conns {
		go func(c int) {
			s.wg.Add(1) // want "s.wg.Add called inside the goroutine it counts"
			handle(c)
			s.wg.Done()
		}(c)
	}
}

func (s *server) shutdown() { s.wg.Wait() }

// The group passed by pointer to the goroutine literal still names the
// spawner's group.
func byPointer(jobs []int) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		go func(wg *sync.WaitGroup, j int) {
			wg.Add(1) // want "wg.Add called inside the goroutine it counts"
			defer wg.Done()
			handle(j)
		}(&wg, j)
	}
	wg.Wait()
}

// Deferred Done inside a deferred func literal still runs in the goroutine.
func deferredLiteral(wg *sync.WaitGroup) {
	go func() {
		wg.Add(1) // want "wg.Add called inside"
		defer func() {
			wg.Done()
		}()
		handle(0)
	}()
}

func handle(int) {}

// ---- look-alikes ----

// Add before the go statement: correct.
func correct(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			_, _ = http.Get(u)
		}(u)
	}
	wg.Wait()
}

// A goroutine that owns a nested group: declared inside the literal.
func nestedOwner(parts [][]int) {
	done := make(chan struct{})
	go func() {
		var inner sync.WaitGroup
		for _, p := range parts {
			inner.Add(1)
			go func(p []int) {
				defer inner.Done()
				_ = p
			}(p)
		}
		inner.Wait()
		close(done)
	}()
	<-done
}

// A counted dispatcher goroutine that adds for the workers it spawns: the
// count is positive while it runs, so Wait cannot return early.
func dispatcher(jobs <-chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for j := range jobs {
			wg.Add(1)
			go func(j int) {
				defer wg.Done()
				handle(j)
			}(j)
		}
	}()
	wg.Wait()
}

// The spawner already counted the goroutine; the goroutine adds for a
// callback that calls Done later.
func countedBefore(register func(func())) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Add(1)
		register(func() { wg.Done() })
	}()
	wg.Wait()
}

// Add(-1) is a Done.
func negative(wg *sync.WaitGroup) {
	go func() {
		defer wg.Done()
		wg.Add(-1)
	}()
}

// A method named Add on another type.
type counter struct{ n int }

func (c *counter) Add(d int) { c.n += d }
func (c *counter) Done()     { c.n-- }

func otherAdd(c *counter) {
	go func() {
		c.Add(1)
		defer c.Done()
	}()
}

// Add inside a func literal that is not started with go.
func notGoroutine(wg *sync.WaitGroup, run func(func())) {
	run(func() {
		wg.Add(1)
		defer wg.Done()
	})
}

// Add in a goroutine with no Done in it: it may count work that another
// goroutine finishes. Without evidence that the Add counts this goroutine
// the rule stays silent (go vet's waitgroup check does report this shape).
func addForOthers(wg *sync.WaitGroup, out chan<- int) {
	go func() {
		wg.Add(1)
		out <- 1
	}()
}
