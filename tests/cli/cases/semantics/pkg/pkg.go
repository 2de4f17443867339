package pkg

import "sync"

func inPkg(keys []string) map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			m[k] = len(k)
		}(k)
	}
	wg.Wait()
	return m
}
