package double_close

import (
	"sync"
	"testing"
	"time"

	"example.com/testutil"
)

// etcd's kvstore_test: after a timeout the test closes stopc and then calls
// testutil.FatalStack, a t.Fatal helper of another package that never
// returns: the second close is not reached from the first.
func TestCloseThenFatalStack(t *testing.T) {
	stopc, donec := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	select {
	case <-donec:
	case <-time.After(time.Second):
		close(stopc)
		wg.Wait()
		testutil.FatalStack(t, "timeout")
	}
	close(stopc)
	wg.Wait()
}

// The same with a helper of this package.
func fatalf(t *testing.T, msg string) {
	t.Helper()
	t.Fatal(msg)
}

func TestCloseThenLocalFatal(t *testing.T) {
	stopc := make(chan struct{})
	if testing.Short() {
		close(stopc)
		fatalf(t, "short")
	}
	close(stopc)
}

// A helper that may return: the double close stays.
func logf(t *testing.T, msg string) { t.Log(msg) }

func TestCloseThenLog(t *testing.T) {
	stopc := make(chan struct{})
	if testing.Short() {
		close(stopc)
		logf(t, "short")
	}
	close(stopc) // want "stopc is closed a second time"
}
