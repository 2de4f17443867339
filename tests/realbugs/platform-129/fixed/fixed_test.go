package fixed

import (
	"sync"
	"testing"
)

// Several clients submit queries at once, as the HTTP handlers do.
func TestConcurrentQueries(t *testing.T) {
	c := New()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for j := 0; j < 2000; j++ {
				q, err := c.Query()
				if err != nil {
					t.Error(err)
					return
				}
				q.Done()
			}
		}()
	}
	close(start)
	wg.Wait()
}
