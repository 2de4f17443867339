// Upstream: https://github.com/influxdata/platform/pull/129 (fix: https://github.com/influxdata/platform/commit/34e4a2f8ac14d3fa73dd4e1a3bf7e91b7eee32e2)
// Project: influxdata/platform (query/control; the repository is now influxdata/influxdb)
// Bug: Controller.nextID, called by every Query submission, holds only
// queriesMu.RLock while it increments c.lastID. Read locks exclude only the
// writer (the run goroutine started by New), not each other: two callers
// submitting queries at once both write lastID under the read lock, a data
// race the race detector reported (and two queries can get the same ID).
// Kind: race
// Want: GD606
package platform129

import "sync"

type QueryID uint64

type Query struct {
	id QueryID
	c  *Controller
}

// Controller provides a central location to manage all incoming queries.
type Controller struct {
	newQueries chan *Query
	lastID     QueryID
	queriesMu  sync.RWMutex
	queries    map[QueryID]*Query
	queryDone  chan *Query
}

func New() *Controller {
	ctrl := &Controller{
		newQueries: make(chan *Query),
		queries:    make(map[QueryID]*Query),
		queryDone:  make(chan *Query),
	}
	go ctrl.run()
	return ctrl
}

// Query submits a query for execution returning immediately.
// Done must be called on any returned Query objects.
func (c *Controller) Query() (*Query, error) {
	q := c.createQuery()
	c.newQueries <- q
	return q, nil
}

func (c *Controller) createQuery() *Query {
	return &Query{id: c.nextID(), c: c}
}

func (c *Controller) nextID() QueryID {
	c.queriesMu.RLock()
	defer c.queriesMu.RUnlock()
	ok := true
	for ok {
		c.lastID++ // BUG: a write made under the read lock; concurrent Query calls both write lastID
		_, ok = c.queries[c.lastID]
	}
	return c.lastID
}

// Queries reports the active queries.
func (c *Controller) Queries() []*Query {
	c.queriesMu.RLock()
	defer c.queriesMu.RUnlock()
	queries := make([]*Query, 0, len(c.queries))
	for _, q := range c.queries {
		queries = append(queries, q)
	}
	return queries
}

func (c *Controller) run() {
	for {
		select {
		case q := <-c.queryDone:
			c.queriesMu.Lock()
			delete(c.queries, q.id)
			c.queriesMu.Unlock()
		case q := <-c.newQueries:
			c.queriesMu.Lock()
			c.queries[q.id] = q
			c.queriesMu.Unlock()
		}
	}
}

// Done must always be called to free resources.
func (q *Query) Done() {
	q.c.queryDone <- q
}
