package fixed

import "testing"

type healthyLayer struct{}

func (healthyLayer) Healthy() error { return nil }

func TestServerMainInit(t *testing.T) {
	for i := 0; i < 200; i++ {
		if _, err := serverMain(healthyLayer{}); err != nil {
			t.Fatal(err)
		}
	}
}
