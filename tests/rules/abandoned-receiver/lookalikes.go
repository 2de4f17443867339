package abandoned_receiver

// The runtime's pprof test: the select sends on c or on c2, and nothing
// ever receives from c2, so the select must take the send on c.
func selectSendSync(wait func()) {
	c := make(chan bool)
	c2 := make(chan bool)
	go func() {
		wait()
		<-c
	}()
	select {
	case c <- true:
	case c2 <- true:
	}
}

// When the other case can proceed (someone receives from c2), the send on
// c may never happen.
func selectSendEither(wait func()) {
	c := make(chan bool)
	c2 := make(chan bool, 1)
	go func() {
		wait()
		<-c // want "this receive blocks forever when selectSendEither returns at the end of the function without sending on or closing c"
	}()
	go func() { <-c2 }() // want "this receive blocks forever when selectSendEither returns at the end of the function without sending on or closing c2"
	select {
	case c <- true:
	case c2 <- true:
	}
}

// Prometheus' exemplar test: a range over a positive constant runs at least
// once, so the close in its body is reached.
func startedOnce(resize func(int), add func()) {
	started := make(chan struct{})
	go func() {
		<-started
		add()
	}()
	for range 100 {
		resize(1)
		close(started)
		break
	}
}

// A range over a slice may run zero times: the close may be skipped.
func startedMaybe(sizes []int, resize func(int), add func()) {
	started := make(chan struct{})
	go func() {
		<-started // want "this receive blocks forever when startedMaybe returns at the end of the function without sending on or closing started"
		add()
	}()
	for _, n := range sizes {
		resize(n)
		close(started)
		break
	}
}

// The same with a three-clause loop over constants.
func startedCounted(resize func(int), add func()) {
	started := make(chan struct{})
	go func() {
		<-started
		add()
	}()
	for i := 0; i < 3; i++ {
		resize(i)
		close(started)
		break
	}
}
