package sync_value_copied

// Standard-library types that hold a lock or a typed atomic by value:
// copying one copies that (vet's copylocks reports these too).

import (
	"crypto/tls"
	"net/http"
	"strings"
)

func cloneTLS(c *tls.Config) *tls.Config {
	cp := *c // want "assignment to cp copies lock value \\*c: tls.Config contains sync.RWMutex"
	return &cp
}

func runServer(s http.Server) {} // want "parameter s passes lock by value: http.Server contains atomic.Bool"

func replaceAll(r strings.Replacer, s string) string { return r.Replace(s) } // want "parameter r passes lock by value: strings.Replacer contains sync.Once"

// Silent: the copy is taken through Clone, pointers are passed, and a
// fresh literal is no copy of a lock in use.
func cloneTLSRight(c *tls.Config) *tls.Config { return c.Clone() }

func runServerRight(s *http.Server) {}

func newServer() *http.Server {
	s := http.Server{Addr: ":8080"}
	return &s
}

// Silent: std types that hold no lock by value.
func request(r http.Request, b strings.Builder) {}
