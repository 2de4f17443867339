// Upstream: https://github.com/go-echarts/statsview/pull/11
// Project: go-echarts/statsview
// Bug: Stop() sends on the unbuffered vm.done; Start's loop receives it and
// then calls vm.Stop() itself, which sends on vm.done again. The only
// receiver is the goroutine doing the send, so the goroutine running Start
// blocks forever.
// Kind: leak
// Want: GD110
package statsview11

import (
	"context"
	"net/http"
	"time"
)

type ViewManager struct {
	srv  *http.Server
	done chan struct{}
}

func New() *ViewManager {
	return &ViewManager{srv: &http.Server{Addr: "localhost:18066"}, done: make(chan struct{})}
}

func (vm *ViewManager) Start() {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	go vm.srv.ListenAndServe()
	for {
		select {
		case <-ticker.C:
			collect()
		case <-vm.done:
			vm.Stop() // BUG: re-sends on vm.done, which only this goroutine reads
			return
		}
	}
}

func (vm *ViewManager) Stop() {
	vm.done <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	vm.srv.Shutdown(ctx)
}

func collect() {}
