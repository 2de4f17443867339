package related

// GD108: the receive runs in a method that another file starts with go.
type worker struct {
	stop chan struct{}
}

func (w *worker) loop() {
	<-w.stop
}
