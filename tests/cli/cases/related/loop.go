package related

// GD109: Lookup's send is stranded once serve has returned on quit.
type index struct {
	queries chan int
	quit    chan struct{}
}

func newIndex() *index {
	ix := &index{queries: make(chan int), quit: make(chan struct{})}
	go ix.serve()
	return ix
}

func (ix *index) serve() {
	for {
		select {
		case <-ix.queries:
		case <-ix.quit:
			return
		}
	}
}

func (ix *index) Lookup(k int) { ix.queries <- k }

func (ix *index) Close() { close(ix.quit) }
