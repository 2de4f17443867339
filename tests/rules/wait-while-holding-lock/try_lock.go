package wait_while_locked

// The goroutine reaches the manager's lock only through a TryLock that
// gives up (consul's agent/service_manager.go: handleUpdate tries the
// agent's state lock with the watch's context, which Stop cancels before it
// waits): whether it ever waits for m.mu depends on that protocol, so the
// wait under m.mu is reported at low confidence only.

import (
	"context"
	"sync"
)

type svcAgent struct {
	state sync.Mutex
	mgr   *svcManager
	n     int
}

type svcManager struct {
	mu      sync.Mutex
	watches map[string]*svcWatch
}

type svcWatch struct {
	running sync.WaitGroup
	cancel  context.CancelFunc
	agent   *svcAgent
}

func (w *svcWatch) Stop() {
	w.cancel()
	w.running.Wait()
}

func (w *svcWatch) start(ctx context.Context, updates chan int) {
	ctx, w.cancel = context.WithCancel(ctx)
	w.running.Add(1)
	go w.run(ctx, updates)
}

func (w *svcWatch) run(ctx context.Context, updates chan int) {
	defer w.running.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case u := <-updates:
			w.handle(ctx, u)
		}
	}
}

func (w *svcWatch) handle(ctx context.Context, u int) {
	if !w.agent.state.TryLock() || ctx.Err() != nil {
		return
	}
	defer w.agent.state.Unlock()
	w.agent.mgr.mu.Lock()
	w.agent.n += u
	w.agent.mgr.mu.Unlock()
}

func (m *svcManager) Remove(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.watches[id]; ok {
		w.Stop() // want "waits while holding m.mu.*\\[low confidence\\]"
		delete(m.watches, id)
	}
}
