package kthena1784

import (
	"fmt"

	"testing"
)

// Controller workers delete pods while startRouter registers the Gateway callback.
func TestRegisterAfterWorkersStart(t *testing.T) {
	s := New()
	start, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		<-start
		for i := 0; i < 2000; i++ {
			name := fmt.Sprintf("pod-%d", i)
			s.AddPod(name)
			s.DeletePod(name)
		}
	}()
	close(start)
	for i := 0; i < 2000; i++ {
		s.RegisterCallback(fmt.Sprintf("Gateway-%d", i%16), func(EventData) {})
	}
	<-done
}
