// Upstream: https://github.com/gocolly/colly/issues/543 (fix: https://github.com/gocolly/colly/commit/ddc083940e3d7e93ffe4e07feea46004d8a0144a)
// Project: gocolly/colly
// Fix: String() reads the counters with atomic.LoadUint32 (commit ddc0839).
package fixed

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Request is the representation of a HTTP request made by a Collector.
type Request struct {
	URL    string
	Method string
	ID     uint32
}

// Response is the representation of a HTTP response made by a Collector.
type Response struct {
	StatusCode int
	Request    *Request
}

type RequestCallback func(*Request)

type ResponseCallback func(*Response)

// Collector provides the scraper instance for a scraping job.
type Collector struct {
	// Async turns on asynchronous network communication.
	Async             bool
	requestCount      uint32
	responseCount     uint32
	requestCallbacks  []RequestCallback
	responseCallbacks []ResponseCallback
	wg                *sync.WaitGroup
	lock              *sync.RWMutex
}

func NewCollector() *Collector {
	return &Collector{wg: &sync.WaitGroup{}, lock: &sync.RWMutex{}}
}

// Visit starts Collector's collecting job by creating a request to the URL.
func (c *Collector) Visit(URL string) error {
	return c.scrape(URL, "GET")
}

func (c *Collector) scrape(u, method string) error {
	c.wg.Add(1)
	if c.Async {
		go c.fetch(u, method)
		return nil
	}
	return c.fetch(u, method)
}

func (c *Collector) fetch(u, method string) error {
	defer c.wg.Done()
	request := &Request{
		URL:    u,
		Method: method,
		ID:     atomic.AddUint32(&c.requestCount, 1),
	}
	c.handleOnRequest(request)
	response := &Response{StatusCode: 200, Request: request}
	atomic.AddUint32(&c.responseCount, 1)
	c.handleOnResponse(response)
	return nil
}

// OnRequest registers a function called before every request.
func (c *Collector) OnRequest(f RequestCallback) {
	c.lock.Lock()
	c.requestCallbacks = append(c.requestCallbacks, f)
	c.lock.Unlock()
}

// OnResponse registers a function called after every response.
func (c *Collector) OnResponse(f ResponseCallback) {
	c.lock.Lock()
	c.responseCallbacks = append(c.responseCallbacks, f)
	c.lock.Unlock()
}

func (c *Collector) handleOnRequest(r *Request) {
	c.lock.RLock()
	defer c.lock.RUnlock()
	for _, f := range c.requestCallbacks {
		f(r)
	}
}

func (c *Collector) handleOnResponse(r *Response) {
	c.lock.RLock()
	defer c.lock.RUnlock()
	for _, f := range c.responseCallbacks {
		f(r)
	}
}

// String is the text representation of the collector.
func (c *Collector) String() string {
	return fmt.Sprintf(
		"Requests made: %d (%d responses) | Callbacks: OnRequest: %d, OnResponse: %d",
		atomic.LoadUint32(&c.requestCount),
		atomic.LoadUint32(&c.responseCount),
		len(c.requestCallbacks),
		len(c.responseCallbacks),
	)
}

// Wait returns when the collector jobs are finished.
func (c *Collector) Wait() {
	c.wg.Wait()
}
