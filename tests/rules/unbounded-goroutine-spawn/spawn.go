package spawn

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

type SyncTask struct{ Payload []byte }

// The seed's data-sync service: one goroutine per task taken from the queue.
func dispatch(tasks <-chan *SyncTask, write func([]byte)) {
	for task := range tasks {
		go write(task.Payload) // want "a goroutine is started for every value received from tasks with no limit.*\\[low confidence\\]"
	}
}

// Docker-style event loop: one goroutine per event from a select case.
type daemon struct {
	events chan string
	stop   chan struct{}
	handle func(string)
}

func (d *daemon) loop() {
	for {
		select {
		case ev := <-d.events:
			go d.handle(ev) // want "every value received from d.events"
		case <-d.stop:
			return
		}
	}
}

// A queue consumer: receive, then spawn.
func consume(queue chan []byte, process func([]byte)) {
	for {
		msg, ok := <-queue
		if !ok {
			return
		}
		go func() { // want "every value received from queue"
			process(msg)
		}()
	}
}

// An HTTP handler that fans out over the items of the request body.
type batch struct{ IDs []string }

func handleBatch(w http.ResponseWriter, r *http.Request) {
	var req batch
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for _, id := range req.IDs {
		go refresh(id) // want "a goroutine is started in this HTTP handler for every iteration of a loop over request data \\(req\\) with no limit"
	}
}

func refresh(string) {}

// A count taken from the query string.
func handleWarm(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	for i := 0; i < n; i++ {
		go refresh(strconv.Itoa(i)) // want "loop over request data \\(n\\)"
	}
}

// ---- look-alikes that must stay silent ----

// The seed's fix: a fixed pool of workers over a shared buffered queue.
func startWorkers(write func([]byte)) chan<- *SyncTask {
	tasks := make(chan *SyncTask, 128)
	for i := 0; i < 12; i++ {
		go func() {
			for task := range tasks {
				write(task.Payload)
			}
		}()
	}
	return tasks
}

// A semaphore taken before the go statement.
func dispatchLimited(tasks <-chan *SyncTask, write func([]byte)) {
	sem := make(chan struct{}, 16)
	for task := range tasks {
		sem <- struct{}{}
		go func(t *SyncTask) {
			defer func() { <-sem }()
			write(t.Payload)
		}(task)
	}
}

// A semaphore taken inside the goroutine.
func dispatchInner(tasks <-chan *SyncTask, write func([]byte)) {
	sem := make(chan struct{}, 16)
	for task := range tasks {
		go func(t *SyncTask) {
			sem <- struct{}{}
			defer func() { <-sem }()
			write(t.Payload)
		}(task)
	}
}

// golang.org/x/sync/semaphore.
func dispatchWeighted(ctx context.Context, tasks <-chan *SyncTask, write func([]byte)) {
	sem := semaphore.NewWeighted(8)
	for task := range tasks {
		if err := sem.Acquire(ctx, 1); err != nil {
			return
		}
		go func(t *SyncTask) {
			defer sem.Release(1)
			write(t.Payload)
		}(task)
	}
}

// errgroup with a limit runs its functions through g.Go, not go statements.
func dispatchGroup(tasks <-chan *SyncTask, write func([]byte) error) error {
	var g errgroup.Group
	g.SetLimit(8)
	for task := range tasks {
		t := task
		g.Go(func() error { return write(t.Payload) })
	}
	return g.Wait()
}

// An accept loop: one goroutine per connection is net/http's design.
func serve(l net.Listener, handle func(net.Conn)) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go handle(c)
	}
}

// A ticker loop: paced by time, not by input.
func periodic(ctx context.Context, t *time.Ticker, flush func()) {
	for {
		select {
		case <-t.C:
			go flush()
		case <-ctx.Done():
			return
		}
	}
}

// A conditional spawn: one flush per full batch, not one per value.
func batcher(in <-chan int, flush func([]int)) {
	var buf []int
	for v := range in {
		buf = append(buf, v)
		if len(buf) >= 100 {
			go flush(buf)
			buf = nil
		}
	}
}

// One goroutine at a time: the loop waits for it.
func oneAtATime(in <-chan int, work func(int), done chan struct{}) {
	for v := range in {
		go func(v int) {
			work(v)
			done <- struct{}{}
		}(v)
		<-done
	}
}

// A WaitGroup waited for in the same iteration.
func perItemWait(in <-chan []int, work func(int)) {
	for items := range in {
		var wg sync.WaitGroup
		for _, it := range items {
			wg.Add(1)
			go func(it int) {
				defer wg.Done()
				work(it)
			}(it)
		}
		wg.Wait()
	}
}

// A handler looping over configuration, not over the request.
type proxy struct{ backends []string }

func (p *proxy) handlePurge(w http.ResponseWriter, r *http.Request) {
	for _, b := range p.backends {
		go refresh(b)
	}
}

// A range over a slice outside any handler.
func warmAll(keys []string) {
	for _, k := range keys {
		go refresh(k)
	}
}

// The goroutine hands the value to a worker through a token bucket.
func tokens(in <-chan int, bucket chan struct{}, work func(int)) {
	for v := range in {
		<-bucket
		go work(v)
	}
}
