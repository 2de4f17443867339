package spawn

import "testing"

// Tests feed bounded inputs: not reported.
func TestDispatch(t *testing.T) {
	in := make(chan int, 3)
	in <- 1
	close(in)
	for v := range in {
		go func(int) {}(v)
	}
}
