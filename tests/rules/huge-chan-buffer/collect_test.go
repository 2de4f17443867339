package huge_chan_buffer

import "testing"

// nats' cluster tests: an error channel deep enough that the helper
// goroutines never block. In a test the memory is short-lived: low.
func TestCollectErrors(t *testing.T) {
	errCh := make(chan error, 100_000) // want "100000 error values reserves 1.5 MiB.*\\[low confidence\\]"
	close(errCh)
	for err := range errCh {
		t.Error(err)
	}
}
