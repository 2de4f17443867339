package across_calls

import "testing"

func TestServe(t *testing.T) {
	s := &Server{idle: make(chan struct{})}
	go s.Serve()
	s.Close()
}
