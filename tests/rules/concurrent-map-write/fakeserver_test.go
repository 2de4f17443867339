package concurrent_map_write

import (
	"bufio"
	"net"
)

// Tailscale chirp_test: a fake server in a test starts one handler per
// accepted connection; the test dials it once, so the handlers' map writes
// race only if a second client connects: low.
type fakeServer struct {
	net.Listener
	enabled map[string]bool
}

func (fs *fakeServer) listen() error {
	for {
		c, err := fs.Accept()
		if err != nil {
			return err
		}
		go fs.handle(c)
	}
}

func (fs *fakeServer) handle(c net.Conn) {
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		fs.enabled[sc.Text()] = true // want "map fs.enabled is written by every goroutine the loop starts at line 22, with no lock.* \\[low confidence\\]"
	}
}

// Goroutines a test starts in a counted loop all run at once: high.
func fillAll(n int) map[int]int {
	m := map[int]int{}
	done := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() {
			m[i] = i // want "map m is written by every goroutine the loop starts at line 38"
			done <- struct{}{}
		}()
	}
	for i := 0; i < n; i++ {
		<-done
	}
	return m
}
