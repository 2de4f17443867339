package godefaults17

import (
	"sync"
	"testing"
)

type Options struct {
	Port int    `default:"8080"`
	Host string `default:"localhost"`
}

// Concurrent requests fill their options; the first ones race to create the filler.
func TestConcurrentSetDefaults(t *testing.T) {
	for round := 0; round < 20; round++ {
		filler = nil // a fresh process: the filler is not built yet
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				var o Options
				SetDefaults(&o)
				if o.Port != 8080 || o.Host != "localhost" {
					t.Errorf("defaults not set: %+v", o)
				}
			}()
		}
		close(start)
		wg.Wait()
	}
}
