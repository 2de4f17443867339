// Upstream: https://github.com/go-echarts/statsview/pull/11
// Project: go-echarts/statsview
// Fix: the `vm.Stop()` call inside the done case was removed; Start just
// returns when Stop signals it.
package fixed

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
