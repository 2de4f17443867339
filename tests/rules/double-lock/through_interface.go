package double_lock

// Locks reached through a package interface that only this package can
// implement (one implementation), and through a struct literal that wraps
// the receiver (consul's serverSerfer{s}, hashicorp/consul#2130).

import "sync"

type Catalog struct {
	remoteLock sync.RWMutex
	remote     map[string][]string
}

// catalogView is closed: its methods are unexported, so only this
// package can implement it.
type catalogView interface {
	nodes(dc string) []string
	name() string
}

type catalogReader struct{ cat *Catalog }

func (r *catalogReader) name() string { return "dc1" }

func (r *catalogReader) nodes(dc string) []string {
	r.cat.remoteLock.RLock()
	defer r.cat.remoteLock.RUnlock()
	return r.cat.remote[dc]
}

func distance(v catalogView, dc string) int { return len(v.nodes(dc)) }

func sortByDistance(v catalogView, dcs []string) {
	for _, dc := range dcs {
		_ = distance(v, dc)
	}
}

func (c *Catalog) byDistance() []string {
	c.remoteLock.RLock()
	defer c.remoteLock.RUnlock()
	var dcs []string
	for dc := range c.remote {
		dcs = append(dcs, dc)
	}
	sortByDistance(&catalogReader{c}, dcs) // want "sortByDistance read-locks it again: c.remoteLock is read-locked again"
	return dcs
}

// The fixed twin: the read lock is released before the sort.
func (c *Catalog) byDistanceFixed() []string {
	c.remoteLock.RLock()
	var dcs []string
	for dc := range c.remote {
		dcs = append(dcs, dc)
	}
	c.remoteLock.RUnlock()
	sortByDistance(&catalogReader{c}, dcs)
	return dcs
}

// A look-alike: the wrapper holds another catalog, whose lock is a
// different one.
func (c *Catalog) compare(other *Catalog) int {
	c.remoteLock.RLock()
	defer c.remoteLock.RUnlock()
	r := catalogReader{cat: other}
	return distance(&r, "dc1") + len(c.remote)
}

func (c *Catalog) join(dc, node string) {
	c.remoteLock.Lock()
	defer c.remoteLock.Unlock()
	c.remote[dc] = append(c.remote[dc], node)
}

func serveCatalog(c *Catalog, joins <-chan [2]string) {
	go func() {
		for j := range joins {
			c.join(j[0], j[1])
		}
	}()
}

// An open interface (exported methods only, one of them): types of other
// packages may implement it, so the one implementation here is not taken
// for the callee: silent.
type Sizer interface{ Size() int }

type catalogSizer struct{ cat *Catalog }

func (s catalogSizer) Size() int {
	s.cat.remoteLock.RLock()
	defer s.cat.remoteLock.RUnlock()
	return len(s.cat.remote)
}

func total(s Sizer) int { return s.Size() }

func (c *Catalog) report() int {
	c.remoteLock.RLock()
	defer c.remoteLock.RUnlock()
	return total(catalogSizer{c})
}
