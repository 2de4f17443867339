package concurrent_map_write

// Bad cases carry a want comment; look-alikes that must stay silent do not.

import (
	"sync"
	"time"
)

type Pod struct{ Name, Node string }

// Kubernetes-style: a result map filled by goroutines started in a loop.
func StatusAll(pods []Pod, status func(Pod) string) map[string]string {
	res := make(map[string]string)
	var wg sync.WaitGroup
	for _, p := range pods {
		wg.Add(1)
		go func(p Pod) {
			defer wg.Done()
			res[p.Name] = status(p) // want "map res is written by every goroutine the loop starts at line 18, with no lock: the runtime aborts with \"fatal error: concurrent map writes\", which recover cannot catch$"
		}(p)
	}
	wg.Wait()
	return res
}

// A counter per key, incremented from goroutines.
func CountByNode(pods []Pod) map[string]int {
	counts := map[string]int{}
	var wg sync.WaitGroup
	for _, p := range pods {
		wg.Add(1)
		go func(p Pod) {
			defer wg.Done()
			counts[p.Node]++ // want "map counts is written by every goroutine the loop starts at line 33"
		}(p)
	}
	wg.Wait()
	return counts
}

// etcd-style: a cache on a struct pruned by a background goroutine while
// the spawner keeps reading it.
type cache struct {
	entries map[string][]byte
}

func (c *cache) Run(keys []string, stop chan struct{}) {
	go func() {
		for _, k := range keys {
			delete(c.entries, k)
		}
	}()
	for _, k := range keys {
		if _, ok := c.entries[k]; ok { // want "map c.entries is written by the goroutine started at line 49 \\(line 51\\) and read here by the spawner after the spawn, with no lock or join in between: the runtime aborts with \"fatal error: concurrent map read and map write\""
			continue
		}
	}
}

// Docker-style: the spawner writes the map the goroutine ranges over.
func Watch(labels map[string]string, notify func(string, string)) {
	go func() {
		for k, v := range labels {
			notify(k, v)
		}
	}()
	labels["updated"] = time.Now().String() // want "map labels is written here by the spawner after starting the goroutine at line 63, which reads it \\(line 64\\)"
}

// Two goroutines of one function fill one map.
func Merge(a, b []string) map[string]bool {
	seen := map[string]bool{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, s := range a {
			seen[s] = true
		}
	}()
	go func() {
		defer wg.Done()
		for _, s := range b {
			seen[s] = true // want "map seen is written by the goroutine started at line 76 \\(line 79\\) and written here by the goroutine started at line 82"
		}
	}()
	wg.Wait()
	return seen
}

// A package-level registry written by handlers started per connection.
var sessions = map[int]string{}

func Accept(ids []int) {
	for _, id := range ids {
		go register(id)
	}
}

func register(id int) {
	sessions[id] = "open" // want "map sessions is written by every goroutine the loop starts at line 97"
}
