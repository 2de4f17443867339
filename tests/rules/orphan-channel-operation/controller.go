package orphan

import (
	"sync"
	"time"
)

// --- true positives ---

// A Kubernetes-style controller: Run starts the workers and waits for the
// stop channel, but nothing (no Stop method, no caller) ever closes it.
type controller struct {
	stopCh chan struct{}
	queue  chan string
	mu     sync.Mutex
	synced map[string]bool
}

func newController() *controller {
	return &controller{
		stopCh: make(chan struct{}),
		queue:  make(chan string, 100),
		synced: map[string]bool{},
	}
}

func (c *controller) Enqueue(key string) { c.queue <- key }

func (c *controller) Run(workers int) {
	for i := 0; i < workers; i++ {
		go c.worker()
	}
	<-c.stopCh // want "nothing in this package ever sends on or closes c.stopCh \\(field stopCh of controller\\): this receive blocks forever$"
	close(c.queue)
}

func (c *controller) worker() {
	for key := range c.queue {
		c.mu.Lock()
		c.synced[key] = true
		c.mu.Unlock()
	}
}

// After a refactor the results are returned directly by process, but the
// drain goroutine still ranges over the channel that nobody feeds.
type result struct {
	key string
	err error
}

type collector struct {
	results chan result
	errs    []error
}

func newCollector() *collector {
	c := &collector{}
	c.results = make(chan result)
	return c
}

func (c *collector) start() {
	go func() {
		for r := range c.results { // want "nothing in this package ever sends on or closes c.results \\(field results of collector\\): this range blocks forever"
			if r.err != nil {
				c.errs = append(c.errs, r.err)
			}
		}
	}()
}

func (c *collector) process(keys []string, f func(string) error) []result {
	var out []result
	for _, k := range keys {
		out = append(out, result{k, f(k)})
	}
	return out
}

// Events are published on an unbuffered channel that nobody consumes any
// more: the first publish blocks its caller forever.
type event struct{ name string }

type broadcaster struct {
	events chan event
}

func newBroadcaster() *broadcaster { return &broadcaster{events: make(chan event)} }

func (b *broadcaster) publish(name string) {
	b.events <- event{name} // want "nothing in this package ever receives from b.events \\(field events of broadcaster\\) and it has no buffer: this send blocks forever"
}

// A select whose every case waits on a field nobody feeds.
type runner struct {
	quit chan struct{}
	kill chan struct{}
}

func newRunner() *runner {
	r := new(runner)
	r.quit, r.kill = make(chan struct{}), make(chan struct{})
	return r
}

func (r *runner) wait() string {
	select {
	case <-r.quit: // want "nothing in this package ever sends on or closes r.quit \\(field quit of runner\\): this receive blocks forever, and so does every other case of this select"
		return "quit"
	case <-r.kill:
		return "kill"
	}
}

// A Wait method on a done channel that nothing closes (the goroutine that
// closed it was removed).
type job struct {
	done chan struct{}
	err  error
}

func startJob(f func() error) *job {
	j := &job{done: make(chan struct{})}
	go func() {
		j.err = f()
	}()
	return j
}

func (j *job) Wait() error {
	select {
	case <-j.done: // want "this receive blocks forever$"
	}
	return j.err
}

// --- look-alikes that must stay silent ---

// Closed in a Stop method.
type poller struct {
	stop chan struct{}
	tick *time.Ticker
}

func newPoller(d time.Duration) *poller {
	return &poller{stop: make(chan struct{}), tick: time.NewTicker(d)}
}

func (p *poller) loop(f func()) {
	for {
		select {
		case <-p.stop:
			return
		case <-p.tick.C: // a Ticker's channel: fed by the runtime
			f()
		}
	}
}

func (p *poller) Stop() { close(p.stop) }

// A Ticker's C on its own.
type heartbeat struct{ t *time.Ticker }

func (h *heartbeat) next() time.Time { return <-h.t.C }

// Closed through a sync.Once.
type closer struct {
	once sync.Once
	quit chan struct{}
}

func newCloser() *closer { return &closer{quit: make(chan struct{})} }

func (c *closer) Close()   { c.once.Do(func() { close(c.quit) }) }
func (c *closer) Wait()    { <-c.quit }
func (c *closer) Closed() bool {
	select {
	case <-c.quit:
		return true
	default:
		return false
	}
}
