package related

func startWorker() *worker {
	w := &worker{stop: make(chan struct{})}
	go w.loop()
	return w
}
