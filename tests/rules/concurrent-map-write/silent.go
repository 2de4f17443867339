package concurrent_map_write

import (
	"sync"
)

// The same lock at both places.
func Locked(pods []Pod, status func(Pod) string) map[string]string {
	var mu sync.Mutex
	res := make(map[string]string)
	var wg sync.WaitGroup
	for _, p := range pods {
		wg.Add(1)
		go func(p Pod) {
			defer wg.Done()
			s := status(p)
			mu.Lock()
			res[p.Name] = s
			mu.Unlock()
		}(p)
	}
	wg.Wait()
	return res
}

// sync.Map.
func SyncMap(pods []Pod) *sync.Map {
	var m sync.Map
	var wg sync.WaitGroup
	for _, p := range pods {
		wg.Add(1)
		go func(p Pod) {
			defer wg.Done()
			m.Store(p.Name, p.Node)
		}(p)
	}
	wg.Wait()
	return &m
}

// Results come back on a channel; one goroutine fills the map.
func ViaChannel(pods []Pod, status func(Pod) string) map[string]string {
	type kv struct{ k, v string }
	ch := make(chan kv)
	for _, p := range pods {
		go func(p Pod) { ch <- kv{p.Name, status(p)} }(p)
	}
	res := map[string]string{}
	for range pods {
		r := <-ch
		res[r.k] = r.v
	}
	return res
}

// A map per goroutine.
func PerGoroutine(groups [][]Pod, out chan<- map[string]int) {
	for _, g := range groups {
		go func(g []Pod) {
			m := map[string]int{}
			for _, p := range g {
				m[p.Node]++
			}
			out <- m
		}(g)
	}
}

// A map made per iteration, captured.
func PerIteration(groups [][]Pod, out chan<- map[string]int) {
	for _, g := range groups {
		m := map[string]int{}
		go func() {
			for _, p := range g {
				m[p.Node]++
			}
			out <- m
		}()
	}
}

// Read only after Wait.
func AfterWait(pods []Pod) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	m := map[string]int{}
	for _, p := range pods {
		wg.Add(1)
		go func(p Pod) {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			m[p.Node]++
		}(p)
	}
	wg.Wait()
	return len(m)
}

// Slice elements with distinct indexes.
func Slots(pods []Pod, status func(Pod) string) []string {
	res := make([]string, len(pods))
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Add(1)
		go func(i int, p Pod) {
			defer wg.Done()
			res[i] = status(p)
		}(i, p)
	}
	wg.Wait()
	return res
}

// A map filled before the go statement and only read by the goroutine.
func ReadOnlyAfter(pods []Pod, use func(string)) {
	idx := map[string]Pod{}
	for _, p := range pods {
		idx[p.Name] = p
	}
	go func() {
		for k := range idx {
			use(k)
		}
	}()
	use(idx["x"].Node)
}

// A single goroutine writes; the spawner waits on done first.
func Single(keys []string) map[string]int {
	m := map[string]int{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i, k := range keys {
			m[k] = i
		}
	}()
	<-done
	return m
}
