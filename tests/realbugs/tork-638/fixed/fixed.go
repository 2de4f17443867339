// Upstream: https://github.com/runabol/tork/pull/638
// Project: runabol/tork
// Fix (proposed in the PR, still open when crawled): the stop channel is buffered (capacity 1), so Stop's send always
// completes whether or not the heartbeat goroutine is still listening.
package fixed

import (
	"errors"
	"time"
)

type Worker struct {
	id   string
	stop chan any
}

func NewWorker(id string) *Worker {
	return &Worker{id: id, stop: make(chan any, 1)}
}

func (w *Worker) Start() {
	go w.sendHeartbeats()
}

func (w *Worker) sendHeartbeats() {
	for {
		if err := w.heartbeat(); err != nil {
			return
		}
		select {
		case <-w.stop:
			return
		case <-time.After(time.Second):
		}
	}
}

func (w *Worker) heartbeat() error {
	if w.id == "" {
		return errors.New("no id")
	}
	return nil
}

func (w *Worker) Stop() {
	w.stop <- 1
}
