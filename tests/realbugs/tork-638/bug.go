// Upstream: https://github.com/runabol/tork/pull/638
// Project: runabol/tork
// Bug: Worker.stop is unbuffered and Stop() sends on it to tell the
// sendHeartbeats goroutine to exit; when that goroutine is not (or no longer)
// waiting in its select, Stop() blocks forever on the send.
// Kind: deadlock
// Want: GD109
package tork638

import (
	"errors"
	"time"
)

type Worker struct {
	id   string
	stop chan any
}

func NewWorker(id string) *Worker {
	return &Worker{id: id, stop: make(chan any)}
}

func (w *Worker) Start() {
	go w.sendHeartbeats()
}

func (w *Worker) sendHeartbeats() {
	for {
		if err := w.heartbeat(); err != nil {
			return // exits without draining w.stop
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
	w.stop <- 1 // BUG: blocks forever once sendHeartbeats has returned
}
