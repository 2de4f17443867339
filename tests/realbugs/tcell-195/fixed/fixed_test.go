package fixed

import (
	"testing"
	"time"
)

// Keys keep arriving (inputLoop feeds keychan) while the application calls Fini.
func TestFiniWhileTyping(t *testing.T) {
	for i := 0; i < 3; i++ {
		s, _ := NewTerminfoScreen()
		if err := s.Init(); err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		fed := make(chan struct{})
		go func() {
			defer close(fed)
			for {
				select {
				case s.keychan <- []byte("a"):
				case <-stop:
					return
				}
			}
		}()
		time.Sleep(10 * time.Millisecond)
		s.Fini()
		close(stop)
		<-fed
	}
}
