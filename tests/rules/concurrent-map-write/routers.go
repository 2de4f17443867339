package concurrent_map_write

// A constructor starts the read loop; an exported method writes the map
// the loop reads (medium confidence): across methods, map contents on
// both sides.

import "sync"

// A constructor starts the read loop; an exported method adds routes while
// it runs: every method called on what NewRouter returns runs while the
// loop does (medium confidence).
type Router struct {
	conn   interface{ Read([]byte) (int, error) }
	routes map[byte]chan []byte
}

func NewRouter(conn interface{ Read([]byte) (int, error) }) *Router {
	r := &Router{conn: conn, routes: map[byte]chan []byte{}}
	go r.readLoop()
	return r
}

func (r *Router) readLoop() {
	buf := make([]byte, 1)
	for {
		if _, err := r.conn.Read(buf); err != nil {
			return
		}
		if ch, ok := r.routes[buf[0]]; ok {
			ch <- buf
		}
	}
}

func (r *Router) Route(id byte) chan []byte {
	ch := make(chan []byte, 1)
	r.routes[id] = ch // want "map r.routes is written here while a goroutine of the package reads it \\(routers.go:[0-9]+\\), with no lock held at both places: NewRouter starts the goroutine as it makes the Router, so an exported method runs while it does, so this is a concurrent map access"
	return ch
}

// Fixed: a mutex guards the routes on both sides.
type LockedRouter struct {
	mu     sync.Mutex
	conn   interface{ Read([]byte) (int, error) }
	routes map[byte]chan []byte
}

func NewLockedRouter(conn interface{ Read([]byte) (int, error) }) *LockedRouter {
	r := &LockedRouter{conn: conn, routes: map[byte]chan []byte{}}
	go r.readLoop()
	return r
}

func (r *LockedRouter) readLoop() {
	buf := make([]byte, 1)
	for {
		if _, err := r.conn.Read(buf); err != nil {
			return
		}
		r.mu.Lock()
		ch, ok := r.routes[buf[0]]
		r.mu.Unlock()
		if ok {
			ch <- buf
		}
	}
}

func (r *LockedRouter) Route(id byte) chan []byte {
	ch := make(chan []byte, 1)
	r.mu.Lock()
	r.routes[id] = ch
	r.mu.Unlock()
	return ch
}
