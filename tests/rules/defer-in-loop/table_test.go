package defer_in_loop

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
)

// A test's table loop: the servers live until the test returns, soon, and
// the table is small. Low confidence.
func TestTable(t *testing.T) {
	for _, tc := range []struct{ name string }{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f"}, {"g"}, {"h"}, {"i"}} {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close() // want "defer of srv.Close inside a loop.*\\[low confidence\\]"
		if _, err := http.Get(srv.URL + "/" + tc.name); err != nil {
			t.Fatal(err)
		}
	}
}

// Temp files of a test: cleaned up when it returns.
func TestFiles(t *testing.T) {
	for i := 0; i < 100; i++ {
		f, err := os.CreateTemp("", "x")
		if err != nil {
			t.Fatal(err)
		}
		defer os.Remove(f.Name()) // want "defer of os.Remove inside a loop.*\\[low confidence\\]"
		f.Close()
	}
}

// The same mutex locked each iteration deadlocks in a test as well.
func TestLockTwice(t *testing.T) {
	var mu sync.Mutex
	for i := 0; i < 100; i++ {
		mu.Lock()
		defer mu.Unlock() // want "defer of mu.Unlock inside a loop"
		t.Log(i)
	}
}
