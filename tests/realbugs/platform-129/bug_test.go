package platform129

import (
	"testing"

	"realbugs/internal/together"
)

// Several clients submit queries at once, as the HTTP handlers do.
func TestConcurrentQueries(t *testing.T) {
	c := New()
	together.Run(4, func() {
		for j := 0; j < 2000; j++ {
			q, err := c.Query()
			if err != nil {
				t.Error(err)
				return
			}
			q.Done()
		}
	})
}
