package fixed

import (
	"sync"
	"testing"

	"realbugs/internal/together"
)

type Options struct {
	Port int    `default:"8080"`
	Host string `default:"localhost"`
}

// Concurrent requests fill their options; the first ones race to create the filler.
func TestConcurrentSetDefaults(t *testing.T) {
	for round := 0; round < 20; round++ {
		filler, fillerOnce = nil, sync.Once{} // a fresh process: the filler is not built yet
		together.Run(4, func() {
			var o Options
			SetDefaults(&o)
			if o.Port != 8080 || o.Host != "localhost" {
				t.Errorf("defaults not set: %+v", o)
			}
		})
	}
}
